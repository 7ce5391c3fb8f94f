package io.netplane.console.support;

import io.netplane.events.ContainerCreated;
import io.netplane.events.ContainerRemoved;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.EndpointStatus;
import io.netplane.events.HostHeartbeat;
import io.netplane.events.HostLeft;
import io.netplane.events.NetworkCreated;
import io.netplane.events.model.EndpointState;
import io.netplane.events.model.IpamConfig;
import io.netplane.events.model.PortSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Events as ipam-service and the agents make them, each at a moment the test chooses. */
public final class Made {

    public static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private Made() {
    }

    /** {@code T0} plus {@code seconds}. */
    public static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    public static NetworkCreated network(String id, String name, String subnet, Instant time) {
        return new NetworkCreated(id, 1, time, NetworkCreated.SCHEMA_VERSION, name, "bridge", "local", false, false,
                false, false, List.of(new IpamConfig(subnet, null, null, Map.of())), Map.of(), Map.of(), "br-" + id,
                1500, true, time);
    }

    public static ContainerCreated container(String id, String name, String host, Instant time) {
        return new ContainerCreated(id, 1, time, ContainerCreated.SCHEMA_VERSION, name, name, host, "create",
                host + "-" + name, "default", List.of(), List.of(), false, time);
    }

    public static ContainerRemoved containerRemoved(ContainerCreated c, Instant time) {
        return new ContainerRemoved(c.containerId(), c.revision() + 1, time, ContainerRemoved.SCHEMA_VERSION, c.name(),
                c.hostId(), c.sandboxName());
    }

    public static EndpointAllocated endpoint(String id, ContainerCreated c, NetworkCreated n, String address,
            Instant time, PortSpec... ports) {
        return new EndpointAllocated(id, 1, time, EndpointAllocated.SCHEMA_VERSION, c.containerId(), c.name(),
                c.hostname(), c.hostId(), c.sandbox(), c.sandboxName(), n.networkId(), n.name(), n.driver(), "eth0",
                "02:42:ac:12:00:02", address, null, null, 1500, List.of(), List.of(c.name()), List.of(), true, false,
                List.of(ports), List.of(), false);
    }

    public static EndpointReleased released(EndpointAllocated e, Instant time) {
        return new EndpointReleased(e.endpointId(), e.revision() + 1, time, EndpointReleased.SCHEMA_VERSION,
                e.containerId(), e.networkId(), e.hostId());
    }

    public static EndpointStatus status(EndpointAllocated e, long revision, EndpointState state, Instant time) {
        return new EndpointStatus(e.endpointId(), revision, time, EndpointStatus.SCHEMA_VERSION, e.hostId(),
                e.revision(), state, state == EndpointState.FAILED ? "no such bridge" : null);
    }

    public static HostHeartbeat heartbeat(String host, long beat, Instant time) {
        return new HostHeartbeat(host, beat, time, HostHeartbeat.SCHEMA_VERSION, "192.0.2.1", "0.1.0", T0);
    }

    public static HostLeft left(String host, long revision, Instant time) {
        return new HostLeft(host, revision, time, HostLeft.SCHEMA_VERSION);
    }
}
