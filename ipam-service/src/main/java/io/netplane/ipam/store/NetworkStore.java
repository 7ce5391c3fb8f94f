package io.netplane.ipam.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.netplane.ipam.address.Cidr;
import io.netplane.ipam.address.Ipv4;
import io.netplane.ipam.core.Network;
import io.netplane.ipam.core.Subnet;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Networks and their subnets in schema ipam. */
public final class NetworkStore {

    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };

    private NetworkStore() {
    }

    public static void insert(Connection c, Network n) throws SQLException {
        Sql.update(c, "INSERT INTO ipam.network (id, name, driver, scope, internal, attachable, enable_ipv6, predefined,"
                + " options, labels, bridge_name, mtu, enable_icc, created, revision)"
                + " VALUES (?,?,?,?,?,?,?,?,?::jsonb,?::jsonb,?,?,?,?,?)",
                n.id(), n.name(), n.driver(), n.scope(), n.internal(), n.attachable(), n.enableIPv6(), n.predefined(),
                Sql.json(n.options()), Sql.json(n.labels()), n.bridgeName(), n.mtu(), n.enableIcc(), n.created(),
                n.revision());
        for (Subnet s : n.subnets()) {
            Sql.update(c, "INSERT INTO ipam.subnet (network_id, address_space, subnet, ip_range, gateway, aux_addresses,"
                    + " user_configured, gateway_configured) VALUES (?,?,?::inet,?::inet,?::inet,?::jsonb,?,?)",
                    n.id(), n.scope(), s.subnet().toString(), s.ipRange() == null ? null : s.ipRange().toString(),
                    s.gatewayText(), Sql.json(s.auxAddresses()), s.userConfigured(), s.gatewayConfigured());
        }
    }

    /** A new name (and the revision that gave it); nothing else changes. */
    public static void rename(Connection c, Network n) throws SQLException {
        Sql.update(c, "UPDATE ipam.network SET name = ?, revision = ? WHERE id = ?", n.name(), n.revision(), n.id());
    }

    public static void delete(Connection c, String id) throws SQLException {
        Sql.update(c, "DELETE FROM ipam.network WHERE id = ?", id);
    }

    public static List<Network> all(Connection c) throws SQLException {
        List<Network> bare = Sql.list(c, "SELECT * FROM ipam.network ORDER BY created, name", NetworkStore::row);
        Map<String, List<Subnet>> subnets = new java.util.HashMap<>();
        for (var e : Sql.list(c, "SELECT * FROM ipam.subnet ORDER BY subnet", rs -> Map.entry(
                rs.getString("network_id"), subnet(rs)))) {
            subnets.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue());
        }
        return bare.stream().map(n -> withSubnets(n, subnets.getOrDefault(n.id(), List.of()))).toList();
    }

    public static Optional<Network> byId(Connection c, String id) throws SQLException {
        return load(c, "SELECT * FROM ipam.network WHERE id = ?", id);
    }

    public static Optional<Network> byName(Connection c, String name) throws SQLException {
        return load(c, "SELECT * FROM ipam.network WHERE name = ?", name);
    }

    /** Docker's lookup order: full id, then exact name, then a unique id prefix. */
    public static Optional<Network> find(Connection c, String ref) throws SQLException {
        Optional<Network> n = byIdOrName(c, ref);
        if (n.isEmpty() && ref.matches("[0-9a-f]{1,63}")) {
            List<String> ids = Sql.list(c, "SELECT id FROM ipam.network WHERE id LIKE ?", rs -> rs.getString(1),
                    ref + "%");
            if (ids.size() == 1) {
                n = byId(c, ids.get(0));
            }
        }
        return n;
    }

    private record Joined(Network network, Subnet subnet) {
    }

    /** Full id, else exact name, with its subnets: one round trip, as every connect starts with it. */
    private static Optional<Network> byIdOrName(Connection c, String ref) throws SQLException {
        List<Joined> rows = Sql.list(c, "SELECT n.*, s.subnet, s.ip_range, s.gateway, s.aux_addresses,"
                + " s.user_configured, s.gateway_configured FROM ipam.network n LEFT JOIN ipam.subnet s ON s.network_id = n.id"
                + " WHERE n.id = ? OR n.name = ? ORDER BY n.id = ? DESC, n.id, s.subnet",
                rs -> new Joined(row(rs), rs.getString("subnet") == null ? null : subnet(rs)), ref, ref, ref);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Network first = rows.get(0).network();
        List<Subnet> subnets = rows.stream().filter(r -> r.network().id().equals(first.id()) && r.subnet() != null)
                .map(Joined::subnet).toList();
        return Optional.of(withSubnets(first, subnets));
    }

    /** The subnets already held in an address space ("local" or "global"). */
    public static List<Cidr> subnetsIn(Connection c, String addressSpace) throws SQLException {
        return Sql.list(c, "SELECT text(subnet) FROM ipam.subnet WHERE address_space = ?",
                rs -> Cidr.parse(rs.getString(1)), addressSpace);
    }

    private static Optional<Network> load(Connection c, String sql, String arg) throws SQLException {
        Optional<Network> n = Sql.one(c, sql, NetworkStore::row, arg);
        if (n.isEmpty()) {
            return n;
        }
        List<Subnet> subnets = Sql.list(c, "SELECT * FROM ipam.subnet WHERE network_id = ? ORDER BY subnet",
                NetworkStore::subnet, n.get().id());
        return Optional.of(withSubnets(n.get(), subnets));
    }

    private static Network withSubnets(Network n, List<Subnet> subnets) {
        return new Network(n.id(), n.name(), n.driver(), n.scope(), n.internal(), n.attachable(), n.enableIPv6(),
                n.predefined(), n.options(), n.labels(), n.bridgeName(), n.mtu(), n.enableIcc(), n.created(),
                n.revision(), subnets);
    }

    private static Network row(ResultSet rs) throws SQLException {
        return new Network(rs.getString("id"), rs.getString("name"), rs.getString("driver"), rs.getString("scope"),
                rs.getBoolean("internal"), rs.getBoolean("attachable"), rs.getBoolean("enable_ipv6"),
                rs.getBoolean("predefined"), Sql.fromJson(rs.getString("options"), MAP),
                Sql.fromJson(rs.getString("labels"), MAP), rs.getString("bridge_name"), rs.getInt("mtu"),
                rs.getBoolean("enable_icc"), Sql.instant(rs, "created"), rs.getLong("revision"), List.of());
    }

    private static Subnet subnet(ResultSet rs) throws SQLException {
        String range = rs.getString("ip_range");
        String gateway = rs.getString("gateway");
        return new Subnet(cidr(rs.getString("subnet")), range == null ? null : cidr(range),
                gateway == null ? null : Ipv4.parse(stripPrefix(gateway)),
                Sql.fromJson(rs.getString("aux_addresses"), MAP), rs.getBoolean("user_configured"),
                rs.getBoolean("gateway_configured"));
    }

    /** PostgreSQL prints a /32 inet without its prefix. */
    static Cidr cidr(String inet) {
        return Cidr.parse(inet.contains("/") ? inet : inet + "/32");
    }

    static String stripPrefix(String inet) {
        int slash = inet.indexOf('/');
        return slash < 0 ? inet : inet.substring(0, slash);
    }
}
