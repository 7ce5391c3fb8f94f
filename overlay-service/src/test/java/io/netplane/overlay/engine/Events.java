package io.netplane.overlay.engine;

import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.HostHeartbeat;
import io.netplane.events.HostLeft;
import io.netplane.events.NetworkCreated;
import io.netplane.events.NetworkRemoved;
import io.netplane.events.model.IpamConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builders for the events the overlay service consumes, as ipam-service and agents fill them. */
public final class Events {

    private Events() {
    }

    public static NetworkCreated overlayNetwork(String id, long revision, String name, String subnet, String gateway) {
        return network(id, revision, name, "overlay", subnet, gateway, 0);
    }

    public static NetworkCreated network(String id, long revision, String name, String driver, String subnet,
            String gateway, int mtu) {
        return new NetworkCreated(id, revision, Instant.now(), NetworkCreated.SCHEMA_VERSION, name, driver,
                "overlay".equals(driver) ? "global" : "local", false, false, false, false,
                List.of(new IpamConfig(subnet, null, gateway, null)), Map.of(), Map.of(), "br-" + id.substring(0, 12),
                mtu, true, Instant.now());
    }

    public static NetworkRemoved networkRemoved(String id, long revision) {
        return new NetworkRemoved(id, revision, Instant.now(), NetworkRemoved.SCHEMA_VERSION, "gone");
    }

    public static EndpointAllocated endpoint(String id, long revision, String networkId, String hostId, String ip,
            String mac) {
        return endpoint(id, revision, networkId, "overlay", hostId, ip, mac);
    }

    public static EndpointAllocated endpoint(String id, long revision, String networkId, String driver,
            String hostId, String ip, String mac) {
        return new EndpointAllocated(id, revision, Instant.now(), EndpointAllocated.SCHEMA_VERSION, "c-" + id,
                "name-" + id, "host-" + id, hostId, "create", hostId + "-name-" + id, networkId, "demo", driver,
                "eth0", mac, ip + "/24", null, null, 1450, List.of(), List.of(), List.of(), true, false, List.of(),
                List.of(), false);
    }

    public static EndpointReleased released(String id, long revision, String networkId, String hostId) {
        return new EndpointReleased(id, revision, Instant.now(), EndpointReleased.SCHEMA_VERSION, "c-" + id,
                networkId, hostId);
    }

    public static HostHeartbeat heartbeat(String hostId, long revision, String underlay) {
        return new HostHeartbeat(hostId, revision, Instant.now(), HostHeartbeat.SCHEMA_VERSION, underlay, "test",
                Instant.now());
    }

    public static HostLeft left(String hostId, long revision) {
        return new HostLeft(hostId, revision, Instant.now(), HostLeft.SCHEMA_VERSION);
    }
}
