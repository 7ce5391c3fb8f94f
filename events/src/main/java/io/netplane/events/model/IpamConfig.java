package io.netplane.events.model;

import java.util.Map;

/**
 * One address pool of a network, as Docker's IPAM.Config entry: subnet in canonical CIDR form,
 * optional ip-range (the sub-pool containers are served from), gateway address and auxiliary
 * addresses (reserved, never handed out). IPv6 pools use the same shape.
 */
public record IpamConfig(String subnet, String ipRange, String gateway, Map<String, String> auxAddresses) {
    public IpamConfig {
        auxAddresses = auxAddresses == null ? Map.of() : Map.copyOf(auxAddresses);
    }
}
