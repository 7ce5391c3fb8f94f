package io.netplane.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netplane.events.model.BoundPort;
import io.netplane.events.model.CommandStatus;
import io.netplane.events.model.ConnectSpec;
import io.netplane.events.model.ContainerSpec;
import io.netplane.events.model.EndpointSpec;
import io.netplane.events.model.EndpointState;
import io.netplane.events.model.IpamConfig;
import io.netplane.events.model.Link;
import io.netplane.events.model.LinkSpec;
import io.netplane.events.model.MeshEndpoint;
import io.netplane.events.model.MeshHost;
import io.netplane.events.model.NetworkSpec;
import io.netplane.events.model.Operation;
import io.netplane.events.model.PortSpec;
import io.netplane.events.model.PortBinding;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One fully populated instance of every event type, as the services would produce it. */
public final class EventSamples {

    static final Instant T = Instant.parse("2026-11-22T10:15:30.123Z");
    static final String NET = "4f1c2b3a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081";
    static final String CTR = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d";
    static final String EP = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

    private EventSamples() {
    }

    public static Map<EventType, NetplaneEvent> all() {
        PortSpec port = new PortSpec("0.0.0.0", 8080, null, 80, null, "tcp");
        IpamConfig pool = new IpamConfig("172.18.0.0/16", "172.18.5.0/24", "172.18.0.1", Map.of("router", "172.18.0.254"));
        Map<EventType, NetplaneEvent> m = new EnumMap<>(EventType.class);
        m.put(EventType.NETWORK_CREATED, new NetworkCreated(NET, 1, T, 1, "my-bridge", "bridge", "local", false, true,
                false, false, List.of(pool), Map.of("com.docker.network.bridge.enable_icc", "true"),
                Map.of("team", "web"), "br-4f1c2b3a5d6e", 1500, true, T));
        m.put(EventType.NETWORK_REMOVED, new NetworkRemoved(NET, 2, T, 1, "my-bridge"));
        m.put(EventType.CONTAINER_CREATED, new ContainerCreated(CTR, 1, T, 1, "web", "web", "h1", "create",
                "np-9e8d7c6b5a4f", "default", List.of(port), List.of("80/tcp"), false, T));
        m.put(EventType.CONTAINER_REMOVED, new ContainerRemoved(CTR, 2, T, 1, "web", "h1", "np-9e8d7c6b5a4f"));
        m.put(EventType.ENDPOINT_ALLOCATED, new EndpointAllocated(EP, 1, T, 1, CTR, "web", "web", "h1", "create",
                "np-9e8d7c6b5a4f", NET, "my-bridge", "bridge", "eth0", "02:42:ac:12:00:02", "172.18.0.2/16",
                "172.18.0.1", null, 1500, List.of("www"), List.of("web", "www", "9e8d7c6b5a4f"),
                List.of(new Link("db", "database", "77aa", "db", "172.18.0.3")), true, false, List.of(port),
                List.of("80/tcp"), false));
        m.put(EventType.ENDPOINT_RELEASED, new EndpointReleased(EP, 2, T, 1, CTR, NET, "h1"));
        m.put(EventType.HOST_HEARTBEAT, new HostHeartbeat("h1", 1763806530123L, T, 1, "192.0.2.11", "0.1.0", T,
                List.of(new BoundPort("tcp", "0.0.0.0", 22))));
        m.put(EventType.HOST_LEFT, new HostLeft("h1", 1763806530124L, T, 1));
        m.put(EventType.NAT_RULESET, new NatRuleset("h1", 3, T, 1, "*nat\n:NETPLANE - [0:0]\nCOMMIT\n",
                List.of("nat NETPLANE"), List.of("nat PREROUTING -m addrtype --dst-type LOCAL -j NETPLANE"),
                List.of(new PortBinding("tcp", "0.0.0.0", 8080, "172.18.0.2", 80))));
        m.put(EventType.OVERLAY_NETWORK_MESH, new OverlayNetworkMesh(NET, 4, T, 1, false, "demo", 4096,
                "10.0.0.0/24", "10.0.0.1", 1450, "br-4f1c2b3a5d6e", "vx-001000-4f1c2",
                List.of(new MeshHost("h1", "192.0.2.11", true, List.of()), new MeshHost("h2", "192.0.2.12", true,
                        List.of(new MeshEndpoint(EP, "10.0.0.3", "02:42:0a:00:00:03"))))));
        m.put(EventType.ENDPOINT_STATUS, new EndpointStatus(EP, 5, T, 1, "h1", 1, EndpointState.FAILED,
                "EEXIST: File exists"));
        m.put(EventType.COMMAND, new Command("req-1", 1, T, 1, Operation.CREATE_CONTAINER,
                new NetworkSpec("my-bridge", "bridge", List.of(pool), false, true, false, Map.of(), Map.of()),
                new ContainerSpec("web", "web", "h1", "create",
                        List.of(new EndpointSpec("my-bridge", List.of("www"), "172.18.0.9",
                                List.of(new LinkSpec("db", "database")))),
                        List.of(port), List.of("80/tcp"), false),
                new ConnectSpec("web", new EndpointSpec("other", List.of(), null, List.of())), "web", true));
        m.put(EventType.COMMAND_RESULT, new CommandResult("req-1", 1, T, 1, Operation.CREATE_NETWORK,
                CommandStatus.OK, 201, "created", JsonNodeFactory.instance.objectNode().put("Id", NET)));
        return m;
    }
}
