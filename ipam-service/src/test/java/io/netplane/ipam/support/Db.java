package io.netplane.ipam.support;

import io.netplane.localcluster.LocalCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Direct access to the test database: reset between tests and read the outbox. */
public final class Db {

    private Db() {
    }

    public static Connection connect() throws SQLException {
        return LocalCluster.shared().dataSource().getConnection();
    }

    /** Back to a first start: only the predefined networks, an empty outbox. */
    public static void reset() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM ipam.endpoint");
            s.executeUpdate("DELETE FROM ipam.address_space");
            s.executeUpdate("DELETE FROM ipam.container");
            s.executeUpdate("DELETE FROM ipam.network WHERE NOT predefined");
            s.executeUpdate("DELETE FROM ipam.processed_command");
            s.executeUpdate("DELETE FROM ipam.outbox");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outbox rows written so far, as "type key" and the payload, oldest first. */
    public static List<String[]> outbox() {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT ce_type, record_key, convert_from(payload, 'UTF8')::jsonb::text FROM ipam.outbox ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            List<String[]> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long count(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
