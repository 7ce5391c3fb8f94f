package io.netplane.agent.support;

import io.netplane.events.ContainerCreated;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.Names;
import io.netplane.events.NetworkCreated;
import io.netplane.events.model.IpamConfig;
import io.netplane.events.model.Link;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Events as ipam-service would publish them, for driving the agent in tests. */
public final class Events {

    private Events() {
    }

    public static String hexId() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }

    public static NetworkCreated bridgeNetwork(String id, String name, String subnet, String gateway) {
        return new NetworkCreated(id, 1, Instant.now(), NetworkCreated.SCHEMA_VERSION, name, "bridge", "local", false,
                false, false, false, List.of(new IpamConfig(subnet, null, gateway, Map.of())), Map.of(), Map.of(),
                Names.bridgeDevice(id), 1500, true, Instant.now());
    }

    public static ContainerCreated container(String id, String name, String hostId) {
        return new ContainerCreated(id, 1, Instant.now(), ContainerCreated.SCHEMA_VERSION, name, Names.shortId(id),
                hostId, "create", Names.sandboxName(hostId, name), "default", List.of(), List.of(), false,
                Instant.now());
    }

    public static EndpointAllocated endpoint(String id, long revision, ContainerCreated c, NetworkCreated n,
            String interfaceName, String cidr, String mac, int mtu, List<Link> links) {
        String gateway = n.ipam().isEmpty() ? null : n.ipam().get(0).gateway();
        return endpoint(id, revision, c, n.networkId(), n.name(), n.driver(), interfaceName, cidr, gateway, mac, mtu,
                links);
    }

    public static EndpointAllocated endpoint(String id, long revision, ContainerCreated c, String networkId,
            String networkName, String driver, String interfaceName, String cidr, String gateway, String mac, int mtu,
            List<Link> links) {
        return new EndpointAllocated(id, revision, Instant.now(), EndpointAllocated.SCHEMA_VERSION, c.containerId(),
                c.name(), c.hostname(), c.hostId(), c.sandbox(), c.sandboxName(), networkId, networkName, driver,
                interfaceName, mac, cidr, gateway, null, mtu, List.of(), List.of(c.name()), links, true, false,
                List.of(), List.of(), false);
    }

    public static EndpointReleased released(EndpointAllocated e, long revision) {
        return new EndpointReleased(e.endpointId(), revision, Instant.now(), EndpointReleased.SCHEMA_VERSION,
                e.containerId(), e.networkId(), e.hostId());
    }
}
