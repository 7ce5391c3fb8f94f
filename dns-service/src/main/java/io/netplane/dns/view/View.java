package io.netplane.dns.view;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of every endpoint, indexed the ways queries need: by container (who
 * asks), by address (who asks, when only the source address is known; PTR), and by name within
 * a network.
 */
public final class View {

    public static final View EMPTY = new View(List.of(), 0);

    private final List<EndpointEntry> endpoints;
    private final int networkCount;
    private final Map<String, List<EndpointEntry>> byContainer = new HashMap<>();
    private final Map<InetAddress, List<EndpointEntry>> byAddress = new HashMap<>();
    private final Map<String, Map<String, List<EndpointEntry>>> byNetworkAndName = new HashMap<>();

    View(List<EndpointEntry> endpoints, int networkCount) {
        this.endpoints = List.copyOf(endpoints);
        this.networkCount = networkCount;
        for (EndpointEntry e : this.endpoints) {
            byContainer.computeIfAbsent(e.containerId(), k -> new ArrayList<>()).add(e);
            byAddress.computeIfAbsent(e.ipv4(), k -> new ArrayList<>()).add(e);
            if (e.ipv6() != null) {
                byAddress.computeIfAbsent(e.ipv6(), k -> new ArrayList<>()).add(e);
            }
            Map<String, List<EndpointEntry>> names = byNetworkAndName.computeIfAbsent(e.networkId(), k -> new HashMap<>());
            for (String name : e.dnsNames()) {
                names.computeIfAbsent(name, k -> new ArrayList<>()).add(e);
            }
        }
    }

    /** The endpoints of a container, in the order they were allocated; empty if unknown. */
    public List<EndpointEntry> endpointsOf(String containerId) {
        return byContainer.getOrDefault(containerId, List.of());
    }

    /** Endpoints holding this address (several where local networks reuse a subnet on each host). */
    public List<EndpointEntry> endpointsAt(InetAddress address) {
        return byAddress.getOrDefault(address, List.of());
    }

    /** Endpoints answering to {@code lowerName} that {@code asker} can see on its network. */
    public List<EndpointEntry> named(EndpointEntry asker, String lowerName) {
        List<EndpointEntry> candidates = byNetworkAndName.getOrDefault(asker.networkId(), Map.of())
                .getOrDefault(lowerName, List.of());
        if (asker.global() || candidates.isEmpty()) {
            return candidates;
        }
        List<EndpointEntry> visible = new ArrayList<>(candidates.size());
        for (EndpointEntry c : candidates) {
            if (asker.sees(c)) {
                visible.add(c);
            }
        }
        return visible;
    }

    /** The endpoint of {@code containerId} on the asker's network that the asker can see, if any. */
    public EndpointEntry peer(EndpointEntry asker, String containerId) {
        for (EndpointEntry e : endpointsOf(containerId)) {
            if (asker.sees(e)) {
                return e;
            }
        }
        return null;
    }

    public List<EndpointEntry> endpoints() {
        return endpoints;
    }

    public int endpointCount() {
        return endpoints.size();
    }

    public int networkCount() {
        return networkCount;
    }
}
