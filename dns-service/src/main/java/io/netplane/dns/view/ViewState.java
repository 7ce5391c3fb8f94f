package io.netplane.dns.view;

import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.NetworkCreated;
import io.netplane.events.NetworkRemoved;
import io.netplane.events.RevisionGate;
import io.netplane.events.model.Link;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The latest state of every network and endpoint, as read from the {@code networks} and
 * {@code endpoints} topics. One thread applies events; {@link #snapshot()} hands readers an
 * immutable {@link View}. Events not newer than what is held are ignored, so replays are harmless.
 */
public final class ViewState {

    private final RevisionGate gate = new RevisionGate();
    private final Map<String, NetworkCreated> networks = new HashMap<>();
    private final Set<String> removedNetworks = new HashSet<>();
    private final Map<String, EndpointAllocated> endpoints = new LinkedHashMap<>();

    /** Applies one event; returns true if the view changed. Events of other kinds are ignored. */
    public boolean apply(NetplaneEvent event) {
        if (!(event instanceof NetworkCreated || event instanceof NetworkRemoved
                || event instanceof EndpointAllocated || event instanceof EndpointReleased)) {
            return false;
        }
        if (!gate.admit(event)) {
            return false;
        }
        if (event instanceof NetworkCreated n) {
            networks.put(n.networkId(), n);
            removedNetworks.remove(n.networkId());
        } else if (event instanceof NetworkRemoved n) {
            networks.remove(n.networkId());
            removedNetworks.add(n.networkId());
        } else if (event instanceof EndpointAllocated e) {
            endpoints.remove(e.endpointId());
            endpoints.put(e.endpointId(), e);
        } else if (event instanceof EndpointReleased e) {
            endpoints.remove(e.endpointId());
        }
        return true;
    }

    /** A compacted topic's tombstone: the aggregate with this key is gone. */
    public boolean forget(String key) {
        boolean changed = endpoints.remove(key) != null;
        if (networks.remove(key) != null) {
            removedNetworks.add(key);
            changed = true;
        }
        return changed;
    }

    public View snapshot() {
        List<EndpointEntry> entries = new ArrayList<>(endpoints.size());
        for (EndpointAllocated e : endpoints.values()) {
            if (!removedNetworks.contains(e.networkId()) && e.ipv4Address() != null) {
                entries.add(entry(e));
            }
        }
        return new View(entries, networks.size());
    }

    private EndpointEntry entry(EndpointAllocated e) {
        NetworkCreated network = networks.get(e.networkId());
        String networkName = network != null ? network.name() : e.networkName();
        boolean global = network != null
                ? NetworkEntry.GLOBAL_SCOPE.equalsIgnoreCase(network.scope())
                : NetworkEntry.OVERLAY_DRIVER.equalsIgnoreCase(e.driver());
        List<String> names = e.dnsNames().stream().map(ViewState::lower).distinct().toList();
        List<EndpointEntry.LinkEntry> links = new ArrayList<>();
        for (Link link : e.links()) {
            if (link.containerId() != null) {
                links.add(new EndpointEntry.LinkEntry(lower(link.name()), lower(link.alias()), link.containerId()));
            }
        }
        return new EndpointEntry(e.endpointId(), e.containerId(), e.containerName(), e.hostId(), e.networkId(),
                lower(networkName == null ? e.networkId() : networkName), global, address(e.ipv4Address()),
                address(e.ipv6Address()), names, List.copyOf(links));
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    /** Parses "172.18.0.2/16" or "172.18.0.2"; null for null or blank. */
    static InetAddress address(String cidr) {
        if (cidr == null || cidr.isBlank()) {
            return null;
        }
        int slash = cidr.indexOf('/');
        String literal = slash < 0 ? cidr : cidr.substring(0, slash);
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            return null; // never let a name trigger a lookup
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
