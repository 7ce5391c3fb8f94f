package io.netplane.ipam.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.netplane.events.model.Link;
import io.netplane.ipam.address.Ipv4;
import io.netplane.ipam.core.Endpoint;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Endpoints and their addresses in schema ipam. */
public final class EndpointStore {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<List<Link>> LINKS = new TypeReference<>() {
    };

    private EndpointStore() {
    }

    public static void insert(Connection c, Endpoint e) throws SQLException {
        Sql.update(c, "INSERT INTO ipam.endpoint (id, container_id, network_id, host_scope, name, interface_name,"
                + " mac_address, ipv4_address, aliases, links, dns_names, gateway_endpoint, gateway_bridge, revision)"
                + " VALUES (?,?,?,?,?,?,?,?::inet,?::jsonb,?::jsonb,?::jsonb,?,?,?)",
                e.id(), e.containerId(), e.networkId(), e.hostScope(), e.name(), e.interfaceName(), e.macAddress(),
                e.ipv4() == null ? null : Ipv4.format(e.ipv4()), Sql.json(e.aliases()), Sql.json(e.links()),
                Sql.json(e.dnsNames()), e.gatewayEndpoint(), e.gatewayBridge(), e.revision());
    }

    /** Everything but the address and network of an endpoint, which never change; the agent's report is reset. */
    public static void update(Connection c, Endpoint e) throws SQLException {
        Sql.update(c, "UPDATE ipam.endpoint SET container_id = ?, name = ?, interface_name = ?, aliases = ?::jsonb,"
                + " links = ?::jsonb, dns_names = ?::jsonb, gateway_endpoint = ?, revision = ?, status = NULL,"
                + " status_error = NULL, status_revision = NULL WHERE id = ?", e.containerId(), e.name(),
                e.interfaceName(), Sql.json(e.aliases()), Sql.json(e.links()), Sql.json(e.dnsNames()),
                e.gatewayEndpoint(), e.revision(), e.id());
    }

    /** A new revision of an endpoint whose container changed (its ports), so that consumers take it. */
    public static Endpoint bumpRevision(Connection c, String id) throws SQLException {
        Sql.update(c, "UPDATE ipam.endpoint SET revision = revision + 1 WHERE id = ?", id);
        return byId(c, id).orElseThrow();
    }

    public static void delete(Connection c, String id) throws SQLException {
        Sql.update(c, "DELETE FROM ipam.endpoint WHERE id = ?", id);
    }

    public static List<Endpoint> all(Connection c) throws SQLException {
        return Sql.list(c, "SELECT * FROM ipam.endpoint ORDER BY network_id, ipv4_address", EndpointStore::row);
    }

    public static Optional<Endpoint> byId(Connection c, String id) throws SQLException {
        return Sql.one(c, "SELECT * FROM ipam.endpoint WHERE id = ?", EndpointStore::row, id);
    }

    public static List<Endpoint> ofContainer(Connection c, String containerId) throws SQLException {
        return Sql.list(c, "SELECT * FROM ipam.endpoint WHERE container_id = ? ORDER BY interface_name",
                EndpointStore::row, containerId);
    }

    public static List<Endpoint> ofNetwork(Connection c, String networkId) throws SQLException {
        return Sql.list(c, "SELECT * FROM ipam.endpoint WHERE network_id = ? ORDER BY host_scope, ipv4_address",
                EndpointStore::row, networkId);
    }

    public static long setGatewayEndpoint(Connection c, String id, boolean value) throws SQLException {
        return Sql.one(c, "UPDATE ipam.endpoint SET gateway_endpoint = ?, revision = revision + 1 WHERE id = ?"
                + " RETURNING revision", rs -> rs.getLong(1), value, id).orElseThrow();
    }

    /** Records an agent's report; returns false when the endpoint is unknown or the report is older. */
    public static boolean recordStatus(Connection c, String id, long endpointRevision, String state, String error)
            throws SQLException {
        return Sql.update(c, "UPDATE ipam.endpoint SET status = ?, status_error = ?, status_revision = ?"
                + " WHERE id = ? AND (status_revision IS NULL OR status_revision <= ?)", state, error,
                endpointRevision, id, endpointRevision) > 0;
    }

    private static Endpoint row(ResultSet rs) throws SQLException {
        String ip = rs.getString("ipv4_address");
        Long statusRevision = rs.getObject("status_revision", Long.class);
        return new Endpoint(rs.getString("id"), rs.getString("container_id"), rs.getString("network_id"),
                rs.getString("host_scope"), rs.getString("name"), rs.getString("interface_name"),
                rs.getString("mac_address"), ip == null ? null : Ipv4.parse(NetworkStore.stripPrefix(ip)),
                Sql.fromJson(rs.getString("aliases"), STRINGS), Sql.fromJson(rs.getString("links"), LINKS),
                Sql.fromJson(rs.getString("dns_names"), STRINGS), rs.getBoolean("gateway_endpoint"),
                rs.getBoolean("gateway_bridge"), rs.getLong("revision"), rs.getString("status"),
                rs.getString("status_error"), statusRevision);
    }
}
