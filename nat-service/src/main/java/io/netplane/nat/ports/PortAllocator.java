package io.netplane.nat.ports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gives host ports to the requests of one endpoint on one host, all or none. Fixed ports must be
 * free; ranges take the next free port after the range's cursor, wrapping around, so a released
 * port is only reused after the others (Docker's portallocator, docker-libnetwork.md §4.4).
 * The caller supplies the host's taken ports and cursors and persists what changed.
 */
public final class PortAllocator {

    /** The cursor of one (host address, protocol, range): the last port handed out from it. */
    public static String cursorKey(String hostIp, String protocol, int from, int to) {
        return hostIp + " " + protocol + " " + from + "-" + to;
    }

    /**
     * Allocates every request or throws {@link PortAllocationException}; on success {@code ports}
     * and {@code cursors} hold the new state, on failure they may hold part of it and must be dropped.
     */
    public List<Allocation> allocate(List<PortRequest> requests, HostPorts ports, Map<String, Integer> cursors) {
        List<Allocation> given = new ArrayList<>(requests.size());
        for (PortRequest r : requests) {
            int port = r.fixed() ? fixed(r, ports) : fromRange(r, ports, cursors);
            ports.take(r.hostIp(), r.protocol(), port);
            given.add(new Allocation(r.hostIp(), r.protocol(), port, r.containerPort()));
        }
        return given;
    }

    private static int fixed(PortRequest r, HostPorts ports) {
        if (!ports.isFree(r.hostIp(), r.protocol(), r.from())) {
            throw PortAllocationException.alreadyAllocated(r.hostIp(), r.from());
        }
        if (ports.isHeldByHost(r.hostIp(), r.protocol(), r.from())) {
            throw PortAllocationException.heldByHost(r.hostIp(), r.protocol(), r.from());
        }
        return r.from();
    }

    private static int fromRange(PortRequest r, HostPorts ports, Map<String, Integer> cursors) {
        String key = cursorKey(r.hostIp(), r.protocol(), r.from(), r.to());
        int last = cursors.getOrDefault(key, r.to());
        int size = r.to() - r.from() + 1;
        for (int i = 0; i < size; i++) {
            last = last >= r.to() ? r.from() : last + 1;
            if (ports.isFree(r.hostIp(), r.protocol(), last) && !ports.isHeldByHost(r.hostIp(), r.protocol(), last)) {
                cursors.put(key, last);
                return last;
            }
        }
        throw PortAllocationException.allAllocated();
    }
}
