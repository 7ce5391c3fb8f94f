package io.netplane.ipam.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.netplane.events.model.PortSpec;
import io.netplane.ipam.core.Container;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Containers in schema ipam. */
public final class ContainerStore {

    private static final TypeReference<List<PortSpec>> PORTS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private ContainerStore() {
    }

    public static void insert(Connection c, Container k) throws SQLException {
        Sql.update(c, "INSERT INTO ipam.container (id, name, hostname, host_id, sandbox, sandbox_name, network_mode,"
                + " ports, exposed_ports, publish_all, created, revision) VALUES (?,?,?,?,?,?,?,?::jsonb,?::jsonb,?,?,?)",
                k.id(), k.name(), k.hostname(), k.hostId(), k.sandbox(), k.sandboxName(), k.networkMode(),
                Sql.json(k.ports()), Sql.json(k.exposedPorts()), k.publishAllPorts(), k.created(), k.revision());
    }

    /** "default" once a none-mode container has left "none". */
    public static void setNetworkMode(Connection c, String id, String mode) throws SQLException {
        Sql.update(c, "UPDATE ipam.container SET network_mode = ? WHERE id = ?", mode, id);
    }

    /** A container's published and exposed ports, with the revision that changed them. */
    public static void setPorts(Connection c, Container k) throws SQLException {
        Sql.update(c, "UPDATE ipam.container SET ports = ?::jsonb, exposed_ports = ?::jsonb, publish_all = ?, revision = ?"
                + " WHERE id = ?", Sql.json(k.ports()), Sql.json(k.exposedPorts()), k.publishAllPorts(), k.revision(),
                k.id());
    }

    public static void delete(Connection c, String id) throws SQLException {
        Sql.update(c, "DELETE FROM ipam.container WHERE id = ?", id);
    }

    public static List<Container> all(Connection c) throws SQLException {
        return Sql.list(c, "SELECT * FROM ipam.container ORDER BY created, name", ContainerStore::row);
    }

    public static Optional<Container> byId(Connection c, String id) throws SQLException {
        return Sql.one(c, "SELECT * FROM ipam.container WHERE id = ?", ContainerStore::row, id);
    }

    /**
     * A container by full id, unique id prefix or name; names are unique per host, so a name
     * alone may match several containers (the caller then asks for the host).
     */
    public static List<Container> find(Connection c, String ref, String hostId) throws SQLException {
        Optional<Container> byId = byId(c, ref);
        if (byId.isPresent()) {
            return List.of(byId.get());
        }
        List<Container> named = hostId == null
                ? Sql.list(c, "SELECT * FROM ipam.container WHERE name = ?", ContainerStore::row, ref)
                : Sql.list(c, "SELECT * FROM ipam.container WHERE name = ? AND host_id = ?", ContainerStore::row, ref,
                        hostId);
        if (!named.isEmpty() || !ref.matches("[0-9a-f]{1,63}")) {
            return named;
        }
        List<Container> prefixed = Sql.list(c, "SELECT * FROM ipam.container WHERE id LIKE ?", ContainerStore::row,
                ref + "%");
        return prefixed.size() == 1 ? prefixed : List.of();
    }

    private static Container row(ResultSet rs) throws SQLException {
        return new Container(rs.getString("id"), rs.getString("name"), rs.getString("hostname"),
                rs.getString("host_id"), rs.getString("sandbox"), rs.getString("sandbox_name"),
                rs.getString("network_mode"), Sql.fromJson(rs.getString("ports"), PORTS),
                Sql.fromJson(rs.getString("exposed_ports"), STRINGS), rs.getBoolean("publish_all"),
                Sql.instant(rs, "created"), rs.getLong("revision"));
    }
}
