package io.netplane.console.history;

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
import io.netplane.events.model.IpamConfig;
import java.util.stream.Collectors;

/** One line a person reads in the timeline: what changed. */
public final class Describe {

    private Describe() {
    }

    public static String of(NetplaneEvent event) {
        if (event instanceof NetworkCreated n) {
            return "network " + n.name() + " (" + n.driver() + ", "
                    + n.ipam().stream().map(IpamConfig::subnet).collect(Collectors.joining(" ")) + ")";
        } else if (event instanceof NetworkRemoved n) {
            return "network " + n.name() + " removed";
        } else if (event instanceof ContainerCreated c) {
            return "container " + c.name() + " on " + c.hostId();
        } else if (event instanceof ContainerRemoved c) {
            return "container " + c.name() + " removed from " + c.hostId();
        } else if (event instanceof EndpointAllocated e) {
            return e.containerName() + " on " + e.networkName() + ": " + e.ipv4Address() + " on " + e.hostId();
        } else if (event instanceof EndpointReleased e) {
            return "endpoint released on " + e.hostId();
        } else if (event instanceof EndpointStatus s) {
            return "agent of " + s.hostId() + ": " + s.state().name().toLowerCase(java.util.Locale.ROOT)
                    + (s.error() == null ? "" : " (" + s.error() + ")");
        } else if (event instanceof HostHeartbeat h) {
            return "host " + h.hostId() + " joined (underlay " + h.underlayAddress() + ")";
        } else if (event instanceof HostLeft h) {
            return "host " + h.hostId() + " left";
        } else if (event instanceof NatRuleset r) {
            return "firewall of " + r.hostId() + ", revision " + r.revision();
        } else if (event instanceof OverlayNetworkMesh m) {
            return m.removed() ? "overlay mesh of network " + m.networkId() + " removed"
                    : "overlay mesh of " + m.networkName() + ": " + m.hosts().size() + " host(s)";
        }
        return event.getClass().getSimpleName();
    }
}
