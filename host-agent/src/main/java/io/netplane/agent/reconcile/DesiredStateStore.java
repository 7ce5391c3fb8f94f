package io.netplane.agent.reconcile;

import io.netplane.events.ContainerCreated;
import io.netplane.events.ContainerRemoved;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.NatRuleset;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.NetworkCreated;
import io.netplane.events.NetworkRemoved;
import io.netplane.events.OverlayMesh;
import io.netplane.events.OverlayNetworkMesh;
import io.netplane.events.RevisionGate;
import java.util.HashMap;
import java.util.Map;

/**
 * The desired state of one host, folded from state events. Only events for this host are
 * kept (networks and the overlay networks' meshes concern every host: a host may join any of
 * them later, and its own mesh is derived from them, see {@link OverlayMesh#of}); a revision not newer than the one held is dropped, so
 * redelivery and duplicates change nothing. Thread-safe.
 */
public final class DesiredStateStore {

    private final String hostId;
    private final RevisionGate gate = new RevisionGate();
    private final Map<String, NetworkCreated> networks = new HashMap<>();
    private final Map<String, ContainerCreated> containers = new HashMap<>();
    private final Map<String, EndpointAllocated> endpoints = new HashMap<>();
    private final Map<String, EndpointReleased> released = new HashMap<>();
    private NatRuleset natRules;
    /** Every overlay network's newest record, removed ones included (so the mesh is known empty, not unknown). */
    private final Map<String, OverlayNetworkMesh> overlayNetworks = new HashMap<>();
    /** The last snapshot, until the next change: the host's DNS stub reads one per query. */
    private DesiredState snapshot;

    public DesiredStateStore(String hostId) {
        this.hostId = hostId;
    }

    /** Folds one event in; returns true if it changed the desired state. */
    public synchronized boolean apply(NetplaneEvent event) {
        if (!concerns(event)) {
            return false;
        }
        // one gate for all kinds: aggregate ids are prefixed by kind so that a network and an
        // endpoint with equal ids never shadow each other
        if (!gate.admit(kind(event) + ":" + event.aggregateId(), event.revision())) {
            return false;
        }
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
            released.remove(e.endpointId());
        } else if (event instanceof EndpointReleased e) {
            endpoints.remove(e.endpointId());
            released.put(e.endpointId(), e);
        } else if (event instanceof NatRuleset r) {
            natRules = r;
        } else if (event instanceof OverlayNetworkMesh m) {
            overlayNetworks.put(m.networkId(), m);
        } else {
            return false;
        }
        snapshot = null;
        return true;
    }

    public synchronized DesiredState snapshot() {
        if (snapshot == null) {
            OverlayMesh mesh = overlayNetworks.isEmpty() ? null : OverlayMesh.of(hostId, overlayNetworks.values());
            snapshot = new DesiredState(networks, containers, endpoints, released, natRules, mesh);
        }
        return snapshot;
    }

    /** True if the event is about this host (or about every host): the only ones the store keeps. */
    public boolean concerns(NetplaneEvent event) {
        if (event instanceof NetworkCreated || event instanceof NetworkRemoved || event instanceof OverlayNetworkMesh) {
            return true;
        }
        String eventHost = null;
        if (event instanceof ContainerCreated c) {
            eventHost = c.hostId();
        } else if (event instanceof ContainerRemoved c) {
            eventHost = c.hostId();
        } else if (event instanceof EndpointAllocated e) {
            eventHost = e.hostId();
        } else if (event instanceof EndpointReleased e) {
            eventHost = e.hostId();
        } else if (event instanceof NatRuleset r) {
            eventHost = r.hostId();
        }
        return hostId.equals(eventHost);
    }

    private static String kind(NetplaneEvent event) {
        if (event instanceof NetworkCreated || event instanceof NetworkRemoved) {
            return "network";
        }
        if (event instanceof ContainerCreated || event instanceof ContainerRemoved) {
            return "container";
        }
        if (event instanceof EndpointAllocated || event instanceof EndpointReleased) {
            return "endpoint";
        }
        return event.getClass().getSimpleName();
    }
}
