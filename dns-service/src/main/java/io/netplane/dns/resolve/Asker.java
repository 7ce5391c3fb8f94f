package io.netplane.dns.resolve;

import io.netplane.dns.view.EndpointEntry;
import io.netplane.dns.view.View;
import io.netplane.events.DnsIdentity;
import java.net.InetAddress;
import java.util.List;

/**
 * The container a query comes from and its endpoints. {@code endpoints} is empty ({@link #NO_NAMES})
 * when the source address belongs to netplane containers but cannot tell which (local networks
 * reuse their subnet on every host), and for a host's signed identity (a host agent forwarding for
 * its host or a container netplane does not know, {@link DnsIdentity#host}): such an asker may use
 * upstream resolution but sees no names.
 */
public record Asker(String containerId, List<EndpointEntry> endpoints) {

    /** Who may have outside names resolved but is answered no container's name. */
    static final Asker NO_NAMES = new Asker(null, List.of());

    /** The identity of a query whose identity option proves nothing (forged, stale, malformed). */
    static final String UNPROVEN = "";

    /**
     * Who asks: by the identity the host agent's stub attached and signed (a container, or a host:
     * {@link #NO_NAMES}), else by source address; null when neither is a netplane container or
     * host (the query is then refused).
     *
     * @param identity the asker the query's identity option proves, {@link #UNPROVEN} when it
     *                 carries one that proves nothing (never then judged by its address), null
     *                 without one
     */
    public static Asker identify(View view, String identity, InetAddress source) {
        if (UNPROVEN.equals(identity)) {
            return null;
        }
        if (DnsIdentity.isHost(identity)) {
            return NO_NAMES;
        }
        if (identity != null) {
            List<EndpointEntry> endpoints = view.endpointsOf(identity);
            return endpoints.isEmpty() ? null : new Asker(identity, endpoints);
        }
        List<EndpointEntry> atAddress = view.endpointsAt(source);
        if (atAddress.isEmpty()) {
            return null;
        }
        String container = atAddress.get(0).containerId();
        for (EndpointEntry e : atAddress) {
            if (!e.containerId().equals(container)) {
                return NO_NAMES;
            }
        }
        return new Asker(container, view.endpointsOf(container));
    }
}
