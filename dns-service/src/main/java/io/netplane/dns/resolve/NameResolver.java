package io.netplane.dns.resolve;

import io.netplane.dns.view.EndpointEntry;
import io.netplane.dns.view.View;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker's embedded-DNS lookup rules (libnetwork {@code sandbox.ResolveName} / {@code ResolveIP}),
 * applied to one asker over one view snapshot.
 */
public final class NameResolver {

    private NameResolver() {
    }

    /**
     * The endpoints a name resolves to for the asker, or an empty list if it is not a container
     * name the asker can see (the query then goes upstream). {@code name} is lower-case without
     * the trailing dot. Tried in Docker's order: the whole name on every network of the asker,
     * then {@code a.b.c} in network {@code d}, {@code a.b} in {@code c.d}, {@code a} in
     * {@code b.c.d}; for each, the asker's links before the network's names.
     */
    public static List<EndpointEntry> resolve(View view, Asker asker, String name) {
        List<EndpointEntry> found = resolveIn(view, asker, name, null);
        for (int dot = name.lastIndexOf('.'); found.isEmpty() && dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
            found = resolveIn(view, asker, name.substring(0, dot), name.substring(dot + 1));
        }
        return found;
    }

    private static List<EndpointEntry> resolveIn(View view, Asker asker, String name, String networkName) {
        for (EndpointEntry own : asker.endpoints()) {
            if (networkName != null && !networkName.equals(own.networkName())) {
                continue;
            }
            EndpointEntry linked = linkTarget(view, own, name);
            if (linked != null) {
                return List.of(linked);
            }
            List<EndpointEntry> named = view.named(own, name);
            if (!named.isEmpty()) {
                return named;
            }
        }
        return List.of();
    }

    private static EndpointEntry linkTarget(View view, EndpointEntry own, String name) {
        for (EndpointEntry.LinkEntry link : own.links()) {
            if (name.equals(link.alias()) || name.equals(link.name())) {
                EndpointEntry target = view.peer(own, link.containerId());
                if (target != null) {
                    return target;
                }
            }
        }
        return null;
    }

    /** The endpoint the asker can see at this address (PTR), or null. */
    public static EndpointEntry reverse(View view, Asker asker, InetAddress address) {
        for (EndpointEntry candidate : view.endpointsAt(address)) {
            if (candidate.dnsNames().isEmpty()) {
                continue;
            }
            for (EndpointEntry own : asker.endpoints()) {
                if (own.sees(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** The distinct addresses of the given endpoints, v4 or v6. */
    public static List<InetAddress> addresses(List<EndpointEntry> endpoints, boolean ipv6) {
        List<InetAddress> out = new ArrayList<>(endpoints.size());
        for (EndpointEntry e : endpoints) {
            InetAddress a = ipv6 ? e.ipv6() : e.ipv4();
            if (a != null && !out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }
}
