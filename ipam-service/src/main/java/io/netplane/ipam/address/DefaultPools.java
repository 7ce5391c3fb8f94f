package io.netplane.ipam.address;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Docker's default address pools (docker-libnetwork.md §1.1), as bases cut into blocks of a
 * given size, and the first-fit search Docker 27+ does over them: the lowest-address free block
 * that overlaps nothing allocated, so a freed pool is handed out again.
 */
public final class DefaultPools {

    /** One {@code default-address-pools} entry: a base and the prefix length it is cut into. */
    public record Pool(Cidr base, int size) {
        public Pool {
            if (size < base.prefix() || size > 32) {
                throw new IllegalArgumentException("pool " + base + " cannot be cut into /" + size);
            }
        }

        /** Parses "172.17.0.0/16/16" style text: base CIDR then "/size". */
        public static Pool parse(String text) {
            int last = text.lastIndexOf('/');
            Cidr base = Cidr.parse(text.substring(0, last));
            if (base == null) {
                throw new IllegalArgumentException("not a pool (base/size): " + text);
            }
            return new Pool(base.canonical(), Integer.parseInt(text.substring(last + 1).trim()));
        }
    }

    public static final List<Pool> LOCAL = List.of(new Pool(Cidr.parse("172.17.0.0/16"), 16),
            new Pool(Cidr.parse("172.18.0.0/16"), 16), new Pool(Cidr.parse("172.19.0.0/16"), 16),
            new Pool(Cidr.parse("172.20.0.0/14"), 16), new Pool(Cidr.parse("172.24.0.0/14"), 16),
            new Pool(Cidr.parse("172.28.0.0/14"), 16), new Pool(Cidr.parse("192.168.0.0/16"), 20));

    public static final List<Pool> GLOBAL = List.of(new Pool(Cidr.parse("10.0.0.0/8"), 24));

    private final List<Pool> pools;

    public DefaultPools(List<Pool> pools) {
        List<Pool> sorted = new ArrayList<>(pools);
        sorted.sort(Comparator.comparingLong((Pool p) -> p.base().first()).thenComparingInt(p -> p.base().prefix()));
        this.pools = List.copyOf(sorted);
    }

    /**
     * The lowest block, in address order, that {@code taken} does not reject. Blocks are tried
     * one by one; {@code taken} is expected to answer from an in-memory list of allocated subnets.
     */
    public Optional<Cidr> firstFree(Predicate<Cidr> taken) {
        for (Pool pool : pools) {
            long step = 1L << (32 - pool.size());
            for (long block = pool.base().first(); block <= pool.base().last(); block += step) {
                Cidr candidate = new Cidr(block, pool.size());
                if (!taken.test(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
