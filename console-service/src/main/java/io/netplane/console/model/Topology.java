package io.netplane.console.model;

import io.netplane.events.ContainerCreated;
import io.netplane.events.ContainerRemoved;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.EndpointStatus;
import io.netplane.events.HostHeartbeat;
import io.netplane.events.HostLeft;
import io.netplane.events.NatRuleset;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.NetworkCreated;
import io.netplane.events.NetworkRemoved;
import io.netplane.events.OverlayMesh;
import io.netplane.events.OverlayNetworkMesh;
import io.netplane.events.model.MeshHost;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The whole network as the state events describe it: the newest state of every aggregate, folded
 * from events in the order each aggregate's revisions arrive. Not thread-safe; {@link #copy} it to
 * hand it to another thread. Records are immutable, so a copy shares them.
 */
public final class Topology {

    private final Map<String, NetworkCreated> networks = new LinkedHashMap<>();
    private final Map<String, ContainerCreated> containers = new LinkedHashMap<>();
    private final Map<String, EndpointAllocated> endpoints = new LinkedHashMap<>();
    private final Map<String, EndpointStatus> statuses = new LinkedHashMap<>();
    private final Map<String, HostState> hosts = new LinkedHashMap<>();
    private final Map<String, NatRuleset> rulesets = new LinkedHashMap<>();
    private final Map<String, OverlayNetworkMesh> overlayNetworks = new LinkedHashMap<>();

    /** A host as its agent last told: its heartbeat, and whether it said it left. */
    public record HostState(HostHeartbeat heartbeat, boolean left) {
    }

    public Topology copy() {
        Topology t = new Topology();
        t.networks.putAll(networks);
        t.containers.putAll(containers);
        t.endpoints.putAll(endpoints);
        t.statuses.putAll(statuses);
        t.hosts.putAll(hosts);
        t.rulesets.putAll(rulesets);
        t.overlayNetworks.putAll(overlayNetworks);
        return t;
    }

    /** Folds one event in; events of other kinds (commands) change nothing. */
    public void apply(NetplaneEvent event) {
        if (event instanceof NetworkCreated n) {
            networks.put(n.networkId(), n);
        } else if (event instanceof NetworkRemoved n) {
            networks.remove(n.networkId());
        } else if (event instanceof ContainerCreated c) {
            containers.put(c.containerId(), c);
        } else if (event instanceof ContainerRemoved c) {
            containers.remove(c.containerId());
        } else if (event instanceof EndpointAllocated e) {
            endpoints.put(e.endpointId(), e);
        } else if (event instanceof EndpointReleased e) {
            endpoints.remove(e.endpointId());
            statuses.remove(e.endpointId());
        } else if (event instanceof EndpointStatus s) {
            statuses.put(s.endpointId(), s);
        } else if (event instanceof HostHeartbeat h) {
            hosts.put(h.hostId(), new HostState(h, false));
        } else if (event instanceof HostLeft h) {
            hosts.computeIfPresent(h.hostId(), (id, state) -> new HostState(state.heartbeat(), true));
        } else if (event instanceof NatRuleset r) {
            rulesets.put(r.hostId(), r);
        } else if (event instanceof OverlayNetworkMesh m) {
            overlayNetworks.put(m.networkId(), m);
        }
    }

    public Collection<NetworkCreated> networks() {
        return networks.values();
    }

    public Collection<ContainerCreated> containers() {
        return containers.values();
    }

    public Collection<EndpointAllocated> endpoints() {
        return endpoints.values();
    }

    /** The agent's report on an endpoint, if it has made one since the endpoint was allocated. */
    public Optional<EndpointStatus> status(String endpointId) {
        return Optional.ofNullable(statuses.get(endpointId));
    }

    public Collection<HostState> hosts() {
        return hosts.values();
    }

    public Optional<HostState> host(String hostId) {
        return Optional.ofNullable(hosts.get(hostId));
    }

    public Collection<NatRuleset> rulesets() {
        return rulesets.values();
    }

    /** The newest record of an overlay network's mesh, if one was published. */
    public Optional<OverlayNetworkMesh> overlayNetwork(String networkId) {
        return Optional.ofNullable(overlayNetworks.get(networkId));
    }

    /** The mesh of every host that carries an overlay network, as its agent derives it, by host id. */
    public List<OverlayMesh> meshes() {
        TreeSet<String> carriers = new TreeSet<>();
        overlayNetworks.values().forEach(m -> m.hosts().stream().map(MeshHost::hostId).forEach(carriers::add));
        return carriers.stream().map(h -> OverlayMesh.of(h, overlayNetworks.values())).toList();
    }
}
