package io.netplane.nat.rules;

/**
 * One allocated host port mapped to a container port on a bridge. {@code hostIp} "0.0.0.0" means
 * every address of the host.
 */
public record PublishedPort(String bridge, String hostIp, int hostPort, String protocol, String containerIp,
        int containerPort) {

    public static final String ANY_IPV4 = "0.0.0.0";

    public boolean anyHostIp() {
        return hostIp == null || ANY_IPV4.equals(hostIp);
    }
}
