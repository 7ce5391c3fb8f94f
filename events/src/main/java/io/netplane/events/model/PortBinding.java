package io.netplane.events.model;

/**
 * A host port a host's ruleset publishes: {@code hostIp:hostPort} (0.0.0.0: every address of the
 * host) DNATed to {@code containerIp:containerPort}. The agent also answers one on every address,
 * tcp or udp, on IPv6 ({@code [::]}) through its proxy, as Docker 20.10's docker-proxy does, and
 * clears the conntrack entries of one that goes or moves.
 */
public record PortBinding(String protocol, String hostIp, int hostPort, String containerIp, int containerPort) {

    public static final String ANY_IPV4 = "0.0.0.0";

    /** Published on every address of the host. */
    public boolean anyHostIp() {
        return hostIp == null || ANY_IPV4.equals(hostIp);
    }
}
