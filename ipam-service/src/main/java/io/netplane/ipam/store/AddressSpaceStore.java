package io.netplane.ipam.store;

import io.netplane.ipam.address.Ipv4;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The address_space rows that order changes to one address space, and the addresses held there. */
public final class AddressSpaceStore {

    private AddressSpaceStore() {
    }

    /**
     * Locks the space's row until the transaction ends (other processes' changes to the space wait
     * for it, as for the advisory lock this replaces) and stamps it with {@code stamp}. Returns the
     * stamp it had, empty for a space no transaction has locked before.
     */
    public static Optional<UUID> lockAndStamp(Connection c, String networkId, String hostScope, UUID stamp)
            throws SQLException {
        return Sql.one(c, "WITH old AS (SELECT stamp FROM ipam.address_space WHERE network_id = ? AND host_scope = ?"
                + " FOR UPDATE), stamped AS (INSERT INTO ipam.address_space (network_id, host_scope, stamp)"
                + " VALUES (?, ?, ?) ON CONFLICT (network_id, host_scope) DO UPDATE SET stamp = excluded.stamp)"
                + " SELECT stamp FROM old", rs -> rs.getObject(1, UUID.class), networkId, hostScope, networkId,
                hostScope, stamp);
    }

    /** Every address held in the space. */
    public static List<Long> held(Connection c, String networkId, String hostScope) throws SQLException {
        return Sql.list(c, "SELECT host(ipv4_address) FROM ipam.endpoint WHERE network_id = ? AND host_scope = ?"
                + " AND ipv4_address IS NOT NULL", rs -> Ipv4.parse(rs.getString(1)), networkId, hostScope);
    }
}
