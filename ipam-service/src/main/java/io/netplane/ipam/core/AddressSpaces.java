package io.netplane.ipam.core;

import io.netplane.ipam.store.AddressSpaceStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The address spaces (network, host scope) as this process last saw them, one bitmap of held
 * addresses per subnet, so that choosing the lowest free address costs no statement.
 *
 * <p>Whoever changes a space locks its address_space row for the rest of its transaction and
 * stamps it with a new random stamp. A process may trust its bitmap only when the stamp it finds
 * is the one it wrote itself last time: then no other transaction (of another process, or one of
 * its own that rolled back) has changed the space since. Otherwise it rebuilds the bitmap from
 * the endpoints first, under the lock. So the process that changes a space keeps it in memory
 * for as long as nobody else changes it, and a process that dies (its transaction gone, the row
 * lock released) hands the space on at once: the next one rebuilds. The endpoint_address_unique
 * constraint stays the last guard.
 */
final class AddressSpaces {

    private final ConcurrentHashMap<String, Space> spaces = new ConcurrentHashMap<>();

    /** Locks the space for the rest of the transaction on {@code c} and returns its current state. */
    Space lock(Connection c, Network n, String scope) throws SQLException {
        String key = n.id() + "/" + scope;
        TransactionBatch batch = TransactionBatch.current();
        Space space = batch == null ? null : batch.locked.get(key);
        if (space != null) {
            return space;
        }
        space = spaces.computeIfAbsent(key, k -> new Space());
        UUID stamp = UUID.randomUUID();
        Optional<UUID> before = AddressSpaceStore.lockAndStamp(c, n.id(), scope, stamp);
        synchronized (space) {
            if (before.isEmpty() || !before.get().equals(space.stamp)) {
                space.rebuild(n, AddressSpaceStore.held(c, n.id(), scope));
            }
            space.stamp = stamp;
        }
        if (batch != null) {
            batch.locked.put(key, space);
        }
        return space;
    }

    /** One address space: the held addresses of each subnet, as bits from the subnet's first address. */
    static final class Space {
        private final Map<Long, BitSet> held = new HashMap<>();
        private UUID stamp;

        private void rebuild(Network n, List<Long> addresses) {
            held.clear();
            addresses.forEach(ip -> take(n, ip));
        }

        /** The lowest address of {@code s}'s allocation range that is neither held nor reserved, as Docker's bitmap gives it. */
        synchronized Optional<Long> lowestFree(Subnet s) {
            BitSet bits = bits(s);
            Set<Long> reserved = new HashSet<>(s.reserved());
            long ip = s.allocFirst();
            while (ip <= s.allocLast()) {
                ip = s.subnet().first() + bits.nextClearBit(offset(s, ip));
                if (ip <= s.allocLast() && !reserved.contains(ip)) {
                    return Optional.of(ip);
                }
                ip++;
            }
            return Optional.empty();
        }

        synchronized boolean held(Subnet s, long ip) {
            return bits(s).get(offset(s, ip));
        }

        synchronized void take(Network n, long ip) {
            subnet(n, ip).ifPresent(s -> bits(s).set(offset(s, ip)));
        }

        synchronized void free(Network n, long ip) {
            subnet(n, ip).ifPresent(s -> bits(s).clear(offset(s, ip)));
        }

        private static Optional<Subnet> subnet(Network n, long ip) {
            return n.subnets().stream().filter(s -> s.subnet().contains(ip)).findFirst();
        }

        private BitSet bits(Subnet s) {
            return held.computeIfAbsent(s.subnet().first(), k -> new BitSet());
        }

        private static int offset(Subnet s, long ip) {
            return Math.toIntExact(ip - s.subnet().first());
        }
    }
}
