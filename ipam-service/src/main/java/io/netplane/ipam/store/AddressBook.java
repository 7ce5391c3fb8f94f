package io.netplane.ipam.store;

import io.netplane.ipam.address.Ipv4;
import io.netplane.ipam.core.Subnet;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Lowest-free allocation in one address space, in O(log n): every free address below the
 * subnet's cursor is listed in released_address, so the answer is the lowest released address,
 * or else the first address at or after the cursor that is neither held (an explicit --ip) nor
 * reserved. Call with the space locked ({@link EndpointStore#lockSpace}).
 */
public final class AddressBook {

    private AddressBook() {
    }

    public static Optional<Long> takeLowest(Connection c, String networkId, String hostScope, Subnet s)
            throws SQLException {
        long first = s.allocFirst();
        long last = s.allocLast();
        Optional<Long> released = Sql.one(c, "DELETE FROM ipam.released_address WHERE (network_id, host_scope, address)"
                + " = (SELECT network_id, host_scope, address FROM ipam.released_address WHERE network_id = ?"
                + " AND host_scope = ? AND address BETWEEN ?::inet AND ?::inet ORDER BY address LIMIT 1)"
                + " RETURNING host(address)", rs -> Ipv4.parse(rs.getString(1)), networkId, hostScope,
                Ipv4.format(first), Ipv4.format(last));
        if (released.isPresent()) {
            return released;
        }
        long candidate = cursor(c, networkId, hostScope, s).orElse(first);
        Set<Long> reserved = new HashSet<>(s.reserved());
        while (candidate <= last
                && (reserved.contains(candidate) || EndpointStore.addressTaken(c, networkId, hostScope, candidate))) {
            candidate++;
        }
        if (candidate > last) {
            return Optional.empty();
        }
        Sql.update(c, "INSERT INTO ipam.address_cursor (network_id, host_scope, subnet, next_unused)"
                + " VALUES (?, ?, ?::inet, ?::inet) ON CONFLICT (network_id, host_scope, subnet)"
                + " DO UPDATE SET next_unused = excluded.next_unused", networkId, hostScope, s.subnet().toString(),
                Ipv4.format(candidate + 1));
        return Optional.of(candidate);
    }

    /** An explicitly requested address (--ip) leaves the released list if it was there. */
    public static void takeExact(Connection c, String networkId, String hostScope, long address) throws SQLException {
        Sql.update(c, "DELETE FROM ipam.released_address WHERE network_id = ? AND host_scope = ? AND address = ?::inet",
                networkId, hostScope, Ipv4.format(address));
    }

    /** A freed address below the cursor goes on the released list (one statement); above it the cursor will find it. */
    public static void release(Connection c, String networkId, String hostScope, Subnet s, long address)
            throws SQLException {
        Sql.update(c, "INSERT INTO ipam.released_address (network_id, host_scope, address)"
                + " SELECT network_id, host_scope, ?::inet FROM ipam.address_cursor WHERE network_id = ?"
                + " AND host_scope = ? AND subnet = ?::inet AND ?::inet < next_unused ON CONFLICT DO NOTHING",
                Ipv4.format(address), networkId, hostScope, s.subnet().toString(), Ipv4.format(address));
    }

    private static Optional<Long> cursor(Connection c, String networkId, String hostScope, Subnet s)
            throws SQLException {
        return Sql.one(c, "SELECT host(next_unused) FROM ipam.address_cursor WHERE network_id = ? AND host_scope = ?"
                + " AND subnet = ?::inet", rs -> Ipv4.parse(rs.getString(1)), networkId, hostScope,
                s.subnet().toString());
    }
}
