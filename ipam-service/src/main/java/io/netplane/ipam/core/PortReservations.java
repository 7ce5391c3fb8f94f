package io.netplane.ipam.core;

/**
 * nat-service owns the hosts' ports; a container that publishes some has them booked there before
 * its creation commits, so a taken port fails the request itself and nothing is made.
 */
@FunctionalInterface
public interface PortReservations {

    /** No booking before commit: nat-service refuses taken ports later, when the endpoint's event reaches it. */
    PortReservations NONE = (k, e) -> {
    };

    /**
     * Books the host ports {@code k} publishes through its gateway endpoint {@code e}, or throws an
     * {@link IpamException} with nat-service's reason (or 503 when it cannot be asked).
     */
    void reserve(Container k, Endpoint e);
}
