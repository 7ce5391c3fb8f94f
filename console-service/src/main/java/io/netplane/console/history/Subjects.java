package io.netplane.console.history;

import io.netplane.console.model.Topology;
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
import io.netplane.events.OverlayNetworkMesh;
import java.util.HashSet;
import java.util.Set;

/**
 * The networks, containers and hosts a change concerns, by id and by name, for the timeline's
 * filters. Events that name only ids (a release, an agent's report) get the names from the
 * topology as it was just before the change.
 */
public record Subjects(Set<String> networks, Set<String> containers, Set<String> hosts) {

    public static Subjects of(NetplaneEvent event, Topology before) {
        Subjects s = new Subjects(new HashSet<>(), new HashSet<>(), new HashSet<>());
        if (event instanceof NetworkCreated n) {
            s.network(n.networkId(), n.name());
        } else if (event instanceof NetworkRemoved n) {
            s.network(n.networkId(), n.name());
        } else if (event instanceof ContainerCreated c) {
            s.container(c.containerId(), c.name()).host(c.hostId());
        } else if (event instanceof ContainerRemoved c) {
            s.container(c.containerId(), c.name()).host(c.hostId());
        } else if (event instanceof EndpointAllocated e) {
            s.endpoint(e);
        } else if (event instanceof EndpointReleased e) {
            s.container(e.containerId(), null).network(e.networkId(), null).host(e.hostId());
            endpoint(before, e.endpointId(), s);
        } else if (event instanceof EndpointStatus st) {
            s.host(st.hostId());
            endpoint(before, st.endpointId(), s);
        } else if (event instanceof HostHeartbeat h) {
            s.host(h.hostId());
        } else if (event instanceof HostLeft h) {
            s.host(h.hostId());
        } else if (event instanceof NatRuleset r) {
            s.host(r.hostId());
        } else if (event instanceof OverlayNetworkMesh m) {
            s.network(m.networkId(), m.networkName());
            m.hosts().forEach(h -> s.host(h.hostId()));
        }
        return s;
    }

    /** Whether this change concerns {@code network}, {@code container} and {@code host} (each an id or a name; null: any). */
    public boolean matches(String network, String container, String host) {
        return (network == null || networks.contains(network)) && (container == null || containers.contains(container))
                && (host == null || hosts.contains(host));
    }

    private static void endpoint(Topology before, String endpointId, Subjects s) {
        before.endpoints().stream().filter(e -> e.endpointId().equals(endpointId)).findFirst().ifPresent(s::endpoint);
    }

    private void endpoint(EndpointAllocated e) {
        container(e.containerId(), e.containerName()).network(e.networkId(), e.networkName()).host(e.hostId());
    }

    private Subjects network(String id, String name) {
        add(networks, id, name);
        return this;
    }

    private Subjects container(String id, String name) {
        add(containers, id, name);
        return this;
    }

    private Subjects host(String id) {
        add(hosts, id, null);
        return this;
    }

    private static void add(Set<String> set, String id, String name) {
        if (id != null) {
            set.add(id);
        }
        if (name != null) {
            set.add(name);
        }
    }
}
