package io.netplane.bench.faults;

import io.netplane.events.codec.EventJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** What ipam-service (and nat-service, for host ports) stored, read straight from the database. */
final class IpamAudit {

    /** A stored container: its id, revision and endpoints. */
    record Stored(String id, String name, long revision, Map<String, StoredEndpoint> endpoints) {
        Set<String> networks() {
            return endpoints.values().stream().map(StoredEndpoint::network).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    record StoredEndpoint(String id, String network, String address, long revision) {
    }

    private final DataSource db;

    IpamAudit(DataSource db) {
        this.db = db;
    }

    /** The containers of {@code host}, by name. */
    Map<String, Stored> containers(String host) throws SQLException {
        Map<String, Stored> out = new HashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT c.id, c.name, c.revision, e.id, n.name, host(e.ipv4_address), e.revision"
                        + " FROM ipam.container c LEFT JOIN ipam.endpoint e ON e.container_id = c.id"
                        + " LEFT JOIN ipam.network n ON n.id = e.network_id WHERE c.host_id = ?")) {
            ps.setString(1, host);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Stored s = out.computeIfAbsent(rs.getString(2),
                            name -> new Stored(text(rs, 1), name, number(rs, 3), new HashMap<>()));
                    if (rs.getString(4) != null) {
                        s.endpoints().put(rs.getString(4),
                                new StoredEndpoint(rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7)));
                    }
                }
            }
        }
        return out;
    }

    /** Addresses held by more than one endpoint in one address space, over the whole database. */
    long addressesHeldTwice() throws SQLException {
        return count("SELECT count(*) FROM (SELECT 1 FROM ipam.endpoint WHERE ipv4_address IS NOT NULL"
                + " GROUP BY network_id, host_scope, ipv4_address HAVING count(*) > 1) d");
    }

    /** Host ports (per host and protocol, whatever the address) held by more than one endpoint. */
    long hostPortsHeldTwice() throws SQLException {
        return count("SELECT count(*) FROM (SELECT 1 FROM nat.port_binding"
                + " GROUP BY host_id, protocol, host_port HAVING count(DISTINCT endpoint_id) > 1) d");
    }

    /** ipam's outbox rows that are neither sent nor dead-lettered. */
    long unsent() throws SQLException {
        return count("SELECT count(*) FROM ipam.outbox WHERE sent_at IS NULL AND dead_lettered_at IS NULL");
    }

    /** The newest outbox row's id (0 when empty). */
    long lastOutboxId() throws SQLException {
        return count("SELECT coalesce(max(id), 0) FROM ipam.outbox");
    }

    /** Unsent rows among those up to {@code id}: a backlog, as it shrinks. */
    long unsentUpTo(long id) throws SQLException {
        return count("SELECT count(*) FROM ipam.outbox WHERE id <= " + id
                + " AND sent_at IS NULL AND dead_lettered_at IS NULL");
    }

    /** Every change of {@code host}'s containers and endpoints ipam committed, from its outbox. */
    List<Change> outbox(String host) throws SQLException {
        List<Change> out = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT event_id, ce_type, payload FROM ipam.outbox ORDER BY id")) {
            while (rs.next()) {
                Change ch = Change.of(rs.getString(1), EventJson.decode(rs.getString(2), rs.getBytes(3)));
                if (ch != null && host.equals(ch.host())) {
                    out.add(ch);
                }
            }
        }
        return out;
    }

    /**
     * Nothing half-made: every container has an endpoint, and the outbox's newest change of each
     * aggregate of {@code host} is its stored state (same revision) or, for one no longer stored, its removal.
     */
    void halfMade(String host, Verdict verdict) throws SQLException {
        Map<String, Stored> stored = containers(host);
        Map<String, Long> revisions = new HashMap<>();
        for (Stored s : stored.values()) {
            if (s.endpoints().isEmpty()) {
                verdict.wrong("half-made: container " + s.name() + " has no endpoint");
            }
            revisions.put(s.id(), s.revision());
            s.endpoints().values().forEach(e -> revisions.put(e.id(), e.revision()));
        }
        Map<String, Change> newest = outbox(host).stream().collect(Collectors.toMap(Change::aggregateId, ch -> ch,
                (x, y) -> Comparator.comparingLong(Change::revision).compare(x, y) >= 0 ? x : y));
        for (Map.Entry<String, Long> r : revisions.entrySet()) {
            Change ch = newest.get(r.getKey());
            if (ch == null || ch.removal() || ch.revision() != r.getValue()) {
                verdict.wrong("half-made: " + r.getKey() + " stored at revision " + r.getValue()
                        + " but its newest outbox event is " + ch);
            }
        }
        for (Change ch : newest.values()) {
            if (!revisions.containsKey(ch.aggregateId()) && !ch.removal()) {
                verdict.wrong("half-made: " + ch.aggregateId() + " is not stored but its newest outbox event is " + ch);
            }
        }
    }

    /**
     * What the clients were told against what is stored: an acknowledged container is there with
     * exactly the networks its client last heard of; a refused or removed one is not.
     */
    void against(Ledger ledger, String host, Verdict verdict) throws SQLException {
        Map<String, Stored> stored = containers(host);
        for (Ledger.Fate f : ledger.fates()) {
            if (f.uncertain) {
                continue;
            }
            Stored s = stored.get(f.name);
            if (f.exists && s == null) {
                verdict.lost(f.name + " was acknowledged but is not stored");
            } else if (!f.exists && s != null) {
                verdict.wrong("present: " + f.name + " was refused or removed but is stored with " + s.networks());
            } else if (s != null && !s.networks().equals(f.networks)) {
                verdict.wrong(f.name + " is on " + s.networks() + ", its client was told " + f.networks);
            }
        }
    }

    /** Outbox rows of one aggregate at one revision more than once: a change made twice. */
    static void madeOnce(List<Change> changes, String where, Verdict verdict) {
        Map<String, Set<String>> ids = new HashMap<>();
        for (Change ch : changes) {
            ids.computeIfAbsent(ch.aggregateId() + "@" + ch.revision(), k -> new TreeSet<>()).add(ch.eventId());
        }
        ids.forEach((at, events) -> {
            if (events.size() > 1) {
                verdict.duplicated(at + " has " + events.size() + " different events " + where);
            }
        });
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String text(ResultSet rs, int column) {
        try {
            return rs.getString(column);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long number(ResultSet rs, int column) {
        try {
            return rs.getLong(column);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
