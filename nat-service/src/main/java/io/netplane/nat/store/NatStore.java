package io.netplane.nat.store;

import io.netplane.events.model.BoundPort;
import io.netplane.nat.ports.Allocation;
import io.netplane.nat.ports.HostPorts;
import io.netplane.nat.rules.BridgeNetwork;
import io.netplane.nat.rules.PublishedPort;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All SQL of the nat schema, on the caller's connection (and so in the caller's transaction).
 * Queries for one host touch only that host's rows, which keeps a change on one host independent
 * of the size of the others.
 */
public final class NatStore {

    public Optional<NetworkRow> network(Connection c, String networkId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select network_id, revision, removed, name, driver, bridge,"
                + " subnet, internal, icc, masquerade from network where network_id = ?")) {
            s.setString(1, networkId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new NetworkRow(r.getString(1), r.getLong(2), r.getBoolean(3), r.getString(4),
                        r.getString(5), r.getString(6), r.getString(7), r.getBoolean(8), r.getBoolean(9),
                        r.getBoolean(10)));
            }
        }
    }

    public void saveNetwork(Connection c, NetworkRow n) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into network (network_id, revision, removed, name,"
                + " driver, bridge, subnet, internal, icc, masquerade) values (?,?,?,?,?,?,?,?,?,?)"
                + " on conflict (network_id) do update set revision = excluded.revision, removed = excluded.removed,"
                + " name = excluded.name, driver = excluded.driver, bridge = excluded.bridge,"
                + " subnet = excluded.subnet, internal = excluded.internal, icc = excluded.icc,"
                + " masquerade = excluded.masquerade")) {
            s.setString(1, n.networkId());
            s.setLong(2, n.revision());
            s.setBoolean(3, n.removed());
            s.setString(4, n.name());
            s.setString(5, n.driver());
            s.setString(6, n.bridge());
            s.setString(7, n.subnet());
            s.setBoolean(8, n.internal());
            s.setBoolean(9, n.icc());
            s.setBoolean(10, n.masquerade());
            s.executeUpdate();
        }
    }

    /** The hosts with a live endpoint on the network: those whose ruleset a network change touches. */
    public List<String> hostsOfNetwork(Connection c, String networkId) throws SQLException {
        return strings(c, "select distinct host_id from endpoint where network_id = ? and not removed"
                + " order by host_id", networkId);
    }

    public Optional<EndpointRow> endpoint(Connection c, String endpointId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ENDPOINT_COLUMNS + " where endpoint_id = ?")) {
            s.setString(1, endpointId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(endpointRow(r)) : Optional.empty();
            }
        }
    }

    private static final String ENDPOINT_COLUMNS = "select endpoint_id, revision, removed, host_id, network_id,"
            + " container_id, container_name, container_ip, port_request, error, gateway_endpoint from endpoint";

    private static EndpointRow endpointRow(ResultSet r) throws SQLException {
        return new EndpointRow(r.getString(1), r.getLong(2), r.getBoolean(3), r.getString(4), r.getString(5),
                r.getString(6), r.getString(7), r.getString(8), r.getString(9), r.getString(10), r.getBoolean(11));
    }

    public void saveEndpoint(Connection c, EndpointRow e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into endpoint (endpoint_id, revision, removed, host_id,"
                + " network_id, container_id, container_name, container_ip, port_request, error, gateway_endpoint)"
                + " values (?,?,?,?,?,?,?,?,?,?,?) on conflict (endpoint_id) do update set"
                + " revision = excluded.revision, removed = excluded.removed, host_id = excluded.host_id,"
                + " network_id = excluded.network_id, container_id = excluded.container_id,"
                + " container_name = excluded.container_name, container_ip = excluded.container_ip,"
                + " port_request = excluded.port_request, error = excluded.error,"
                + " gateway_endpoint = excluded.gateway_endpoint, reserved_at = null")) {
            s.setString(1, e.endpointId());
            s.setLong(2, e.revision());
            s.setBoolean(3, e.removed());
            s.setString(4, e.hostId());
            s.setString(5, e.networkId());
            s.setString(6, e.containerId());
            s.setString(7, e.containerName());
            s.setString(8, e.containerIp());
            s.setString(9, e.portRequest());
            s.setString(10, e.error());
            s.setBoolean(11, e.gatewayEndpoint());
            s.executeUpdate();
        }
    }

    /**
     * Records a reservation: the endpoint row at revision 0 (so its first event is newer) with
     * reserved_at set, which keeps its bindings out of the rulesets until that event takes it over.
     */
    public void saveReservation(Connection c, EndpointRow e) throws SQLException {
        saveEndpoint(c, e);
        try (PreparedStatement s = c.prepareStatement("update endpoint set reserved_at = now() where endpoint_id = ?")) {
            s.setString(1, e.endpointId());
            s.executeUpdate();
        }
    }

    /** Whether the endpoint's row is a reservation its event has not yet taken over. */
    public boolean isReservation(Connection c, String endpointId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select 1 from endpoint where endpoint_id = ? and reserved_at is not null")) {
            s.setString(1, endpointId);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** Drops a reservation and its bindings (not an endpoint its event made). */
    public void dropReservation(Connection c, String endpointId) throws SQLException {
        if (isReservation(c, endpointId)) {
            deleteBindings(c, endpointId);
            try (PreparedStatement s = c.prepareStatement("delete from endpoint where endpoint_id = ?")) {
                s.setString(1, endpointId);
                s.executeUpdate();
            }
        }
    }

    /** The host's reservations older than {@code ttlSeconds}: never followed by their event. */
    public List<String> staleReservations(Connection c, String hostId, long ttlSeconds) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select endpoint_id from endpoint where host_id = ?"
                + " and reserved_at < now() - make_interval(secs => ?)")) {
            s.setString(1, hostId);
            s.setLong(2, ttlSeconds);
            List<String> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        }
    }

    /** Creates the host row if needed and locks it until the transaction ends. */
    public HostRow lockHost(Connection c, String hostId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "insert into host (host_id) values (?) on conflict (host_id) do nothing")) {
            s.setString(1, hostId);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(
                "select revision, document from host where host_id = ? for update")) {
            s.setString(1, hostId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new HostRow(hostId, r.getLong(1), r.getString(2));
            }
        }
    }

    public Optional<HostRow> host(Connection c, String hostId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select revision, document from host where host_id = ?")) {
            s.setString(1, hostId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getLong(1) > 0
                        ? Optional.of(new HostRow(hostId, r.getLong(1), r.getString(2)))
                        : Optional.empty();
            }
        }
    }

    public void saveRuleset(Connection c, String hostId, long revision, String document) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update host set revision = ?, document = ? where host_id = ?")) {
            s.setLong(1, revision);
            s.setString(2, document);
            s.setString(3, hostId);
            s.executeUpdate();
        }
    }

    /** The host ports bound to endpoints, and those the host's own processes hold. */
    public HostPorts takenPorts(Connection c, String hostId) throws SQLException {
        HostPorts ports = new HostPorts();
        try (PreparedStatement s = c.prepareStatement(
                "select host_ip, protocol, host_port from port_binding where host_id = ?")) {
            s.setString(1, hostId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ports.take(r.getString(1), r.getString(2), r.getInt(3));
                }
            }
        }
        for (BoundPort p : boundPorts(c, hostId)) {
            ports.heldByHost(p.address(), p.protocol(), p.port());
        }
        return ports;
    }

    /** The ports the host's own processes held at its latest heartbeat. */
    public List<BoundPort> boundPorts(Connection c, String hostId) throws SQLException {
        List<BoundPort> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "select protocol, address, port from host_bound_port where host_id = ? order by protocol, port, address")) {
            s.setString(1, hostId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new BoundPort(r.getString(1), r.getString(2), r.getInt(3)));
                }
            }
        }
        return out;
    }

    /** Replaces the host's own ports with {@code ports}. */
    public void saveBoundPorts(Connection c, String hostId, List<BoundPort> ports) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("delete from host_bound_port where host_id = ?")) {
            s.setString(1, hostId);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(
                "insert into host_bound_port (host_id, protocol, address, port) values (?, ?, ?, ?) on conflict do nothing")) {
            for (BoundPort p : ports) {
                s.setString(1, hostId);
                s.setString(2, p.protocol());
                s.setString(3, p.address());
                s.setInt(4, p.port());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    public Map<String, Integer> cursors(Connection c, String hostId) throws SQLException {
        Map<String, Integer> cursors = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "select cursor_key, last_port from port_cursor where host_id = ?")) {
            s.setString(1, hostId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    cursors.put(r.getString(1), r.getInt(2));
                }
            }
        }
        return cursors;
    }

    public void saveCursors(Connection c, String hostId, Map<String, Integer> changed) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into port_cursor (host_id, cursor_key, last_port)"
                + " values (?,?,?) on conflict (host_id, cursor_key) do update set last_port = excluded.last_port")) {
            for (Map.Entry<String, Integer> e : changed.entrySet()) {
                s.setString(1, hostId);
                s.setString(2, e.getKey());
                s.setInt(3, e.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    public void insertBindings(Connection c, String hostId, String endpointId, String containerIp,
            List<Allocation> allocations) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into port_binding (host_id, host_ip, protocol,"
                + " host_port, endpoint_id, container_ip, container_port) values (?,?,?,?,?,?,?)")) {
            for (Allocation a : allocations) {
                s.setString(1, hostId);
                s.setString(2, a.hostIp());
                s.setString(3, a.protocol());
                s.setInt(4, a.hostPort());
                s.setString(5, endpointId);
                s.setString(6, containerIp);
                s.setInt(7, a.containerPort());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    public void updateBindingAddress(Connection c, String endpointId, String containerIp) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update port_binding set container_ip = ? where endpoint_id = ?")) {
            s.setString(1, containerIp);
            s.setString(2, endpointId);
            s.executeUpdate();
        }
    }

    public void deleteBindings(Connection c, String endpointId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("delete from port_binding where endpoint_id = ?")) {
            s.setString(1, endpointId);
            s.executeUpdate();
        }
    }

    /**
     * The bridges this host's firewall covers, those of its live, accepted endpoints: every bridge
     * network's, and an overlay network's local bridge (NetworkCreated.bridgeName, as the agent names
     * it) where an endpoint here is its container's gateway endpoint: a Docker container, which has
     * no gwbridge endpoint and leaves through the overlay. An overlay whose containers here leave
     * through netplane_gwbridge (netplane's own sandboxes) stays out, as before.
     */
    public List<BridgeNetwork> bridgesOfHost(Connection c, String hostId) throws SQLException {
        List<BridgeNetwork> bridges = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select distinct n.network_id, n.bridge, n.subnet, n.internal,"
                + " n.icc, n.masquerade from endpoint e join network n on n.network_id = e.network_id"
                + " where e.host_id = ? and not e.removed and e.error is null and e.reserved_at is null"
                + " and not n.removed and n.bridge is not null and n.subnet is not null"
                + " and (n.driver = 'bridge' or (n.driver = 'overlay' and e.gateway_endpoint))")) {
            s.setString(1, hostId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    bridges.add(new BridgeNetwork(r.getString(1), r.getString(2), r.getString(3), r.getBoolean(4),
                            r.getBoolean(5), r.getBoolean(6)));
                }
            }
        }
        return bridges;
    }

    public List<PublishedPort> portsOfHost(Connection c, String hostId) throws SQLException {
        List<PublishedPort> ports = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select n.bridge, b.host_ip, b.host_port, b.protocol,"
                + " b.container_ip, b.container_port from port_binding b"
                + " join endpoint e on e.endpoint_id = b.endpoint_id join network n on n.network_id = e.network_id"
                + " where b.host_id = ? and not n.removed and n.bridge is not null and e.reserved_at is null")) {
            s.setString(1, hostId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ports.add(new PublishedPort(r.getString(1), r.getString(2), r.getInt(3), r.getString(4),
                            r.getString(5), r.getInt(6)));
                }
            }
        }
        return ports;
    }

    public List<BindingRow> bindingsOfHost(Connection c, String hostId) throws SQLException {
        List<BindingRow> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select b.endpoint_id, e.container_id, e.container_name,"
                + " b.host_ip, b.host_port, b.protocol, b.container_ip, b.container_port from port_binding b"
                + " join endpoint e on e.endpoint_id = b.endpoint_id where b.host_id = ?"
                + " order by b.protocol, b.host_port, b.host_ip")) {
            s.setString(1, hostId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new BindingRow(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getInt(5), r.getString(6), r.getString(7), r.getInt(8)));
                }
            }
        }
        return rows;
    }

    /** Endpoints on the host whose ports were refused, with the reason. */
    public List<EndpointRow> refusedOfHost(Connection c, String hostId) throws SQLException {
        List<EndpointRow> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(ENDPOINT_COLUMNS + " where host_id = ?"
                + " and not removed and error is not null order by endpoint_id")) {
            s.setString(1, hostId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(endpointRow(r));
                }
            }
        }
        return rows;
    }

    private static List<String> strings(Connection c, String sql, String param) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, param);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }
}
