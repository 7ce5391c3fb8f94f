package io.netplane.messaging;

import io.netplane.events.NetworkCreated;
import io.netplane.messaging.outbox.OutboxWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A tiny service for the tests: a table of "networks" (id, name, revision) whose every change
 * is committed together with its NetworkCreated state event, the way the real services do it.
 */
final class Demo {

    final String schema;
    final DataSource ds;
    final OutboxWriter writer;

    Demo(DataSource ds) throws SQLException {
        this.ds = ds;
        this.schema = "demo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        this.writer = new OutboxWriter(schema, "/netplane/test");
        try (Connection c = ds.getConnection()) {
            io.netplane.messaging.outbox.OutboxSchema.ensure(c, schema);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE " + schema + ".net (id TEXT PRIMARY KEY, name TEXT NOT NULL, revision BIGINT NOT NULL)");
            }
        }
    }

    /** Renames (or creates) network {@code id} and appends its event; commits or rolls back. */
    NetworkCreated change(String id, String name, boolean commit) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            long revision;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema + ".net VALUES (?, ?, 1)"
                    + " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, revision = net.revision + 1"
                    + " RETURNING revision")) {
                ps.setString(1, id);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    revision = rs.getLong(1);
                }
            }
            NetworkCreated event = event(id, name, revision);
            writer.append(c, event);
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
            return event;
        }
    }

    Map<String, String> namesInDatabase() throws SQLException {
        Map<String, String> m = new HashMap<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, name FROM " + schema + ".net")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getString(2));
            }
        }
        return m;
    }

    static NetworkCreated event(String id, String name, long revision) {
        return new NetworkCreated(id, revision, Instant.now(), NetworkCreated.SCHEMA_VERSION, name, "bridge", "local",
                false, false, false, false, List.of(), Map.of(), Map.of(), "br-test", 1500, true, Instant.now());
    }
}
