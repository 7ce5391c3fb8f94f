package io.netplane.messaging.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/** The outbox table in a service's own schema; creating it is idempotent and safe to race. */
public final class OutboxSchema {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private OutboxSchema() {
    }

    public static void ensure(Connection c, String schema) throws SQLException {
        String s = identifier(schema);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            // Two processes creating the same table at once can collide in the catalogue: serialise.
            st.execute("SELECT pg_advisory_xact_lock(hashtext('netplane-outbox-ddl'))");
            st.execute("CREATE SCHEMA IF NOT EXISTS " + s);
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".outbox ("
                    + " id BIGSERIAL PRIMARY KEY,"
                    + " event_id UUID NOT NULL,"
                    + " topic TEXT NOT NULL,"
                    + " record_key TEXT NOT NULL,"
                    + " ce_type TEXT NOT NULL,"
                    + " ce_source TEXT NOT NULL,"
                    + " occurred_at TIMESTAMPTZ NOT NULL,"
                    + " payload BYTEA NOT NULL,"
                    + " created_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
                    + " sent_at TIMESTAMPTZ)");
            if (!hasColumn(c, s, "dead_lettered_at")) {
                // Tables made before dead letters (OutboxRelay) get their columns; ALTER locks the table, so only once.
                st.execute("ALTER TABLE " + s + ".outbox ADD COLUMN IF NOT EXISTS dead_lettered_at TIMESTAMPTZ,"
                        + " ADD COLUMN IF NOT EXISTS failure TEXT");
            }
            if (!hasColumn(c, s, "traceparent")) {
                // The W3C traceparent of the change each row belongs to (CloudEvents' distributed tracing).
                st.execute("ALTER TABLE " + s + ".outbox ADD COLUMN IF NOT EXISTS traceparent TEXT");
            }
            st.execute("CREATE INDEX IF NOT EXISTS outbox_unsent ON " + s + ".outbox (id) WHERE sent_at IS NULL");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static boolean hasColumn(Connection c, String schema, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = 'outbox' AND column_name = ?")) {
            ps.setString(1, schema);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Schema names are interpolated into SQL, so only plain lower-case identifiers are allowed. */
    static String identifier(String schema) {
        if (schema == null || !IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("not a plain schema name: " + schema);
        }
        return schema;
    }

    static String channel(String schema) {
        return "netplane_outbox_" + identifier(schema);
    }
}
