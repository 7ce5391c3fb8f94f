package io.netplane.nat.ports;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The host ports taken on one host, by protocol and port, with the addresses each is bound to.
 * 0.0.0.0 conflicts with every specific address on the same port and the other way round
 * (docker-libnetwork.md §4.4).
 */
public final class HostPorts {

    private final Map<String, Map<Integer, Set<String>>> taken = new HashMap<>();
    private final Map<String, Map<Integer, Set<String>>> host = new HashMap<>();

    public boolean isFree(String hostIp, String protocol, int port) {
        Set<String> ips = taken.getOrDefault(protocol, Map.of()).get(port);
        if (ips == null || ips.isEmpty()) {
            return true;
        }
        return !PortRequests.ANY_IPV4.equals(hostIp) && !ips.contains(hostIp) && !ips.contains(PortRequests.ANY_IPV4);
    }

    public void take(String hostIp, String protocol, int port) {
        taken.computeIfAbsent(protocol, p -> new HashMap<>()).computeIfAbsent(port, p -> new HashSet<>()).add(hostIp);
    }

    /** A port a process of the host itself holds on {@code address} (0.0.0.0: every address). */
    public void heldByHost(String address, String protocol, int port) {
        host.computeIfAbsent(protocol, p -> new HashMap<>()).computeIfAbsent(port, p -> new HashSet<>()).add(address);
    }

    /** Whether binding {@code hostIp:port} would fail because a host process holds it (same address rule). */
    public boolean isHeldByHost(String hostIp, String protocol, int port) {
        Set<String> ips = host.getOrDefault(protocol, Map.of()).get(port);
        if (ips == null || ips.isEmpty()) {
            return false;
        }
        return PortRequests.ANY_IPV4.equals(hostIp) || ips.contains(hostIp) || ips.contains(PortRequests.ANY_IPV4);
    }
}
