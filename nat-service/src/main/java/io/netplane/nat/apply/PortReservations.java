package io.netplane.nat.apply;

import io.agroal.api.AgroalDataSource;
import io.netplane.events.model.PortSpec;
import io.netplane.nat.ports.PortBooking;
import io.netplane.nat.store.BindingRow;
import io.netplane.nat.store.EndpointRow;
import io.netplane.nat.store.NatStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Host ports booked for an endpoint before ipam-service commits it (a new endpoint, or new ports
 * on an existing one), so a taken port fails the request itself. Keyed by endpoint id: asking again with the same request changes
 * nothing, and the endpoint's event later takes the booking over instead of booking twice.
 */
@ApplicationScoped
public class PortReservations {

    /** What to publish for one endpoint that ipam-service is about to commit. */
    public record Request(String networkId, String containerId, String containerName, String containerIp,
            List<PortSpec> ports, List<String> exposedPorts, boolean publishAllPorts) {
    }

    private final NatStore store = new NatStore();
    private final PortBooking booking = new PortBooking(store);

    @Inject
    AgroalDataSource dataSource;

    /** Seconds after which a reservation never followed by its endpoint's event is dropped. */
    @ConfigProperty(name = "netplane.nat.reservation-ttl-seconds", defaultValue = "300")
    long ttlSeconds;

    /**
     * Books the ports (all or none) and returns the endpoint's bindings; throws the booking's
     * refusal, with nothing stored, when they cannot all be given.
     */
    @Transactional
    public List<BindingRow> reserve(String hostId, String endpointId, Request r) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            store.lockHost(c, hostId);
            for (String stale : store.staleReservations(c, hostId, ttlSeconds)) {
                store.dropReservation(c, stale);
            }
            String request = PortBooking.requestText(r.ports(), r.exposedPorts(), r.publishAllPorts());
            EndpointRow held = store.endpoint(c, endpointId).orElse(null);
            boolean same = held != null && !held.removed() && held.error() == null && held.hostId().equals(hostId)
                    && request.equals(held.portRequest());
            if (!same) {
                boolean committed = held != null && !held.removed() && !store.isReservation(c, endpointId);
                if (committed && !held.hostId().equals(hostId)) {
                    throw new IllegalStateException("endpoint " + endpointId + " is on host " + held.hostId()
                            + ", not " + hostId + ": its ports are booked where it is");
                }
                store.deleteBindings(c, endpointId);
                booking.book(c, hostId, endpointId, r.containerIp(), r.ports(), r.exposedPorts(), r.publishAllPorts());
                EndpointRow row = new EndpointRow(endpointId, committed ? held.revision() : 0, false, hostId,
                        r.networkId(), r.containerId(), r.containerName(), r.containerIp(), request, null,
                        committed && held.gatewayEndpoint());
                if (committed) {
                    // ports published on an endpoint that already exists (Docker's ProgramExternalConnectivity):
                    // booked in place, at its revision, so the event that follows takes the booking over
                    store.saveEndpoint(c, row);
                } else {
                    store.saveReservation(c, row);
                }
            }
            return store.bindingsOfHost(c, hostId).stream().filter(b -> b.endpointId().equals(endpointId)).toList();
        }
    }

    /** Drops a reservation ipam-service did not commit; an endpoint its event made is left alone. */
    @Transactional
    public void release(String hostId, String endpointId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            store.lockHost(c, hostId);
            store.dropReservation(c, endpointId);
        }
    }
}
