package io.netplane.bench.ipam;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The peer: the simplest correct PostgreSQL allocator. A table holds every address of the range
 * with its holder; allocation takes the lowest free row with SELECT ... FOR UPDATE SKIP LOCKED
 * and marks it, in one autocommit statement. No endpoint row, no outbox.
 */
final class SkipLockedPeer implements Allocator {

    static void prepare(Connection c, long first, long count) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS peer CASCADE");
            s.execute("CREATE SCHEMA peer");
            s.execute("CREATE TABLE peer.free_address (ip bigint PRIMARY KEY, holder integer)");
            s.execute("INSERT INTO peer.free_address SELECT g, NULL FROM generate_series(" + first + ", "
                    + (first + count - 1) + ") g");
            s.execute("CREATE INDEX free_first ON peer.free_address (ip) WHERE holder IS NULL");
            s.execute("VACUUM ANALYZE peer.free_address");
        }
    }

    @Override
    public long allocate(Connection c, int client) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement("UPDATE peer.free_address SET holder = ? WHERE ip = ("
                + "SELECT ip FROM peer.free_address WHERE holder IS NULL ORDER BY ip LIMIT 1 FOR UPDATE SKIP LOCKED)"
                + " RETURNING ip")) {
            ps.setInt(1, client);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("peer range exhausted");
                }
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void release(Connection c, int client, long address) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement("UPDATE peer.free_address SET holder = NULL WHERE ip = ?")) {
            ps.setLong(1, address);
            ps.executeUpdate();
        }
    }
}
