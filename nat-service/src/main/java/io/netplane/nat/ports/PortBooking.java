package io.netplane.nat.ports;

import io.netplane.events.model.PortSpec;
import io.netplane.nat.store.NatStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Books the host ports of one endpoint on one host, all or none, under the host's lock the caller
 * holds: used both for an endpoint's event and for ipam-service's reservation before it commits.
 */
public final class PortBooking {

    private final NatStore store;
    private final PortRequests portRequests = new PortRequests(PortRange.DYNAMIC);
    private final PortAllocator allocator = new PortAllocator();

    public PortBooking(NatStore store) {
        this.store = store;
    }

    /** The canonical text of a publish request, to tell a changed request from a repeated one. */
    public static String requestText(List<PortSpec> ports, List<String> exposedPorts, boolean publishAll) {
        return ports + " " + exposedPorts + " " + publishAll;
    }

    /** Docker's words for a refusal on {@code endpoint} of container {@code name}. */
    public static String refusal(String name, String endpointId, RuntimeException refused) {
        return "driver failed programming external connectivity on endpoint " + name + " (" + endpointId + "): "
                + refused.getMessage();
    }

    /**
     * Allocates and stores the endpoint's bindings; throws {@link InvalidPortSpecException} or
     * {@link PortAllocationException} (nothing stored) when they cannot all be given.
     */
    public List<Allocation> book(Connection c, String hostId, String endpointId, String containerIp,
            List<PortSpec> ports, List<String> exposedPorts, boolean publishAll) throws SQLException {
        List<PortRequest> requests = portRequests.expand(ports, exposedPorts, publishAll);
        if (requests.isEmpty()) {
            return List.of();
        }
        if (containerIp == null) {
            throw new InvalidPortSpecException("the endpoint has no IPv4 address to publish ports to");
        }
        HostPorts taken = store.takenPorts(c, hostId);
        Map<String, Integer> before = store.cursors(c, hostId);
        Map<String, Integer> cursors = new HashMap<>(before);
        List<Allocation> given = allocator.allocate(requests, taken, cursors);
        store.insertBindings(c, hostId, endpointId, containerIp, given);
        cursors.entrySet().removeIf(entry -> entry.getValue().equals(before.get(entry.getKey())));
        store.saveCursors(c, hostId, cursors);
        return given;
    }
}
