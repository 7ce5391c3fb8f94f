package io.netplane.ipam.core;

import io.netplane.ipam.address.Cidr;
import io.netplane.ipam.address.Ipv4;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One IPv4 pool of a network: the subnet, the optional ip-range containers are served from, the
 * gateway and the auxiliary addresses (both reserved, never given to a container).
 * {@code userConfigured}: the user gave the subnet; {@code gatewayConfigured}: and its gateway.
 */
public record Subnet(Cidr subnet, Cidr ipRange, Long gateway, Map<String, String> auxAddresses,
        boolean userConfigured, boolean gatewayConfigured) {

    public Subnet {
        auxAddresses = auxAddresses == null ? Map.of() : Map.copyOf(auxAddresses);
    }

    /** First address a container may get without asking for one. */
    public long allocFirst() {
        return ipRange == null ? subnet.firstUsable() : Math.max(ipRange.first(), subnet.firstUsable());
    }

    /** Last address a container may get without asking for one. */
    public long allocLast() {
        return ipRange == null ? subnet.lastUsable() : Math.min(ipRange.last(), subnet.lastUsable());
    }

    /** Addresses never handed out: the gateway and the auxiliary addresses. */
    public List<Long> reserved() {
        List<Long> reserved = new ArrayList<>();
        if (gateway != null) {
            reserved.add(gateway);
        }
        auxAddresses.values().forEach(a -> reserved.add(Ipv4.parse(a)));
        return reserved;
    }

    public String gatewayText() {
        return gateway == null ? null : Ipv4.format(gateway);
    }
}
