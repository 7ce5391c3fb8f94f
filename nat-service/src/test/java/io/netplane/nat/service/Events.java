package io.netplane.nat.service;

import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.NetworkCreated;
import io.netplane.events.model.IpamConfig;
import io.netplane.events.model.PortSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builders of the events ipam-service would publish, with only what a test cares about. */
final class Events {
    private Events() {
    }

    static NetworkCreated bridge(String id, long revision, String subnet, boolean internal, boolean icc) {
        return new NetworkCreated(id, revision, Instant.now(), NetworkCreated.SCHEMA_VERSION, "net-" + id, "bridge",
                "local", internal, false, false, false, List.of(new IpamConfig(subnet, null, null, Map.of())),
                Map.of(), Map.of(), "br-" + id.substring(0, 12), 1500, icc, Instant.now());
    }

    static EndpointAllocated endpoint(String id, long revision, String host, String networkId, String container,
            String ip, List<PortSpec> ports) {
        return new EndpointAllocated(id, revision, Instant.now(), EndpointAllocated.SCHEMA_VERSION,
                "c-" + container, container, container, host, "create", host + "-" + container, networkId, "net",
                "bridge", "eth0", "02:42:00:00:00:01", ip + "/16", null, null, 1500, List.of(), List.of(container),
                List.of(), true, false, ports, List.of(), false);
    }

    static EndpointReleased released(String id, long revision, String host, String networkId, String container) {
        return new EndpointReleased(id, revision, Instant.now(), EndpointReleased.SCHEMA_VERSION, "c-" + container,
                networkId, host);
    }

    static PortSpec tcp(Integer hostPort, int containerPort) {
        return new PortSpec(null, hostPort, null, containerPort, null, "tcp");
    }
}
