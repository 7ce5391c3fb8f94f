package io.netplane.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Whether the consumers' state matches what ipam-service stored for one host: nat-service's
 * endpoints (its own tables) and the names dns-service answers with (its records API).
 */
final class ConsumerAudit {

    private final DataSource db;
    private final IpamAudit ipam;

    ConsumerAudit(DataSource db) {
        this.db = db;
        this.ipam = new IpamAudit(db);
    }

    /**
     * nat-service holds every endpoint of the host at ipam's revision, none that ipam released, and
     * one binding per endpoint that publishes (each container here publishes one port).
     */
    List<String> nat(String host) throws SQLException {
        Map<String, Long> stored = new HashMap<>();
        ipam.containers(host).values().forEach(c -> c.endpoints().values().forEach(e -> stored.put(e.id(), e.revision())));
        List<String> problems = new ArrayList<>();
        Map<String, Long> held = new HashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT e.endpoint_id, e.revision, (SELECT count(*) FROM nat.port_binding b WHERE b.endpoint_id = e.endpoint_id)"
                        + " FROM nat.endpoint e WHERE e.host_id = ? AND NOT e.removed AND e.reserved_at IS NULL")) {
            ps.setString(1, host);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.put(rs.getString(1), rs.getLong(2));
                    if (rs.getLong(3) > 1) {
                        problems.add("twice: nat holds " + rs.getLong(3) + " bindings for endpoint " + rs.getString(1));
                    }
                }
            }
        }
        stored.forEach((id, revision) -> {
            if (!revision.equals(held.get(id))) {
                problems.add("nat holds endpoint " + id + " at revision " + held.get(id) + ", ipam at " + revision);
            }
        });
        held.keySet().stream().filter(id -> !stored.containsKey(id))
                .forEach(id -> problems.add("nat still holds endpoint " + id + ", which ipam released"));
        return problems;
    }

    /**
     * dns-service answers, for each stored container, its own name on each of its networks with
     * exactly that endpoint's address, and knows no container the clients removed.
     */
    List<String> dns(String dnsUrl, String host, Ledger ledger) throws SQLException, IOException {
        List<String> problems = new ArrayList<>();
        Map<String, IpamAudit.Stored> stored = ipam.containers(host);
        for (IpamAudit.Stored s : stored.values()) {
            answersEveryEndpoint(dnsUrl, s, problems);
        }
        for (Ledger.Fate f : ledger.fates()) {
            if (f.id != null && !stored.containsKey(f.name)) {
                IpamApi.Answer a = IpamApi.get(dnsUrl + "/v1/dns/records?container=" + f.id);
                if (a.status() != 404) {
                    problems.add("dns still knows removed container " + f.name + " (status " + a.status() + ")");
                }
            }
        }
        return problems;
    }

    /** As {@link #dns}, for the stored containers among {@code names} only, and without asking about removed ones. */
    List<String> dnsOf(String dnsUrl, String host, Set<String> names) throws SQLException, IOException {
        List<String> problems = new ArrayList<>();
        for (IpamAudit.Stored s : ipam.containers(host).values()) {
            if (names.contains(s.name())) {
                answersEveryEndpoint(dnsUrl, s, problems);
            }
        }
        return problems;
    }

    /**
     * A bare name resolves on the container's first network that has it (Docker's rule); NAME.NETWORK
     * names each endpoint, which must be answered with exactly its address.
     */
    private static void answersEveryEndpoint(String dnsUrl, IpamAudit.Stored s, List<String> problems) throws IOException {
        IpamApi.Answer a = IpamApi.get(dnsUrl + "/v1/dns/records?container=" + s.id());
        Map<String, List<String>> answered = new HashMap<>();
        if (a.ok()) {
            for (JsonNode record : a.body().path("records")) {
                List<String> ipv4 = new ArrayList<>();
                record.path("ipv4").forEach(ip -> ipv4.add(ip.asText()));
                answered.put(record.path("name").asText(), ipv4);
            }
        }
        for (IpamAudit.StoredEndpoint e : s.endpoints().values()) {
            String name = s.name() + "." + e.network();
            List<String> ipv4 = answered.get(name);
            if (ipv4 == null || !ipv4.equals(List.of(e.address()))) {
                problems.add("dns answers " + name + " with " + ipv4 + " (status " + a.status() + "), stored "
                        + e.address());
            }
        }
    }
}
