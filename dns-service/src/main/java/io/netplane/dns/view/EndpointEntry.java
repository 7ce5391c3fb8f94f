package io.netplane.dns.view;

import java.net.InetAddress;
import java.util.List;

/**
 * One endpoint as the DNS view holds it: addresses parsed once, names lower-cased once (Docker
 * resolves case-insensitively), links resolved to the linked container's id.
 */
public record EndpointEntry(String endpointId, String containerId, String containerName, String hostId,
        String networkId, String networkName, boolean global, InetAddress ipv4, InetAddress ipv6,
        List<String> dnsNames, List<LinkEntry> links) {

    /** A {@code --link name:alias} as the linking endpoint sees it: both names point at the target container. */
    public record LinkEntry(String name, String alias, String containerId) {
    }

    /** True if {@code other} is on the same network and reachable by name from this endpoint. */
    public boolean sees(EndpointEntry other) {
        return networkId.equals(other.networkId) && (global || hostId.equals(other.hostId));
    }

    /** The name a PTR answer gives: Docker's first DNS name followed by the network name. */
    public String ptrName() {
        return dnsNames.get(0) + "." + networkName + ".";
    }
}
