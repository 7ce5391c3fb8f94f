package io.netplane.nat.rules;

import java.util.List;

/** Everything the ruleset of one host is computed from: its bridge networks and published ports. */
public record HostFirewall(String hostId, List<BridgeNetwork> bridges, List<PublishedPort> ports) {
    public HostFirewall {
        bridges = List.copyOf(bridges);
        ports = List.copyOf(ports);
    }
}
