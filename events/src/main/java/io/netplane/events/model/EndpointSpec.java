package io.netplane.events.model;

import java.util.List;

/**
 * A container's request for one network: Docker's EndpointSettings (network, {@code --alias},
 * {@code --ip}, {@code --link}, {@code --mac-address}) and, for a runtime that names the container's
 * interface itself (CNI's {@code CNI_IFNAME}), the interface name; null picks eth0, eth1, ...
 */
public record EndpointSpec(String network, List<String> aliases, String ipv4Address, List<LinkSpec> links,
        String macAddress, String interfaceName) {
    public EndpointSpec {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        links = links == null ? List.of() : List.copyOf(links);
    }

    public EndpointSpec(String network, List<String> aliases, String ipv4Address, List<LinkSpec> links) {
        this(network, aliases, ipv4Address, links, null, null);
    }
}
