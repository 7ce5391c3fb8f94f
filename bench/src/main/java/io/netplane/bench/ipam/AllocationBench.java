package io.netplane.bench.ipam;

import io.netplane.localcluster.LocalCluster;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Address allocations per second and allocation latency (p50/p99) with 1, 16 and 64 concurrent
 * clients, netplane beside the SKIP LOCKED peer, on the same PostgreSQL in the same run. Each
 * client loops allocate then release, so the held population stays at prefill + clients; only
 * allocate is timed and counted. Also checks that no address is ever held twice at once.
 * netplane runs as two service processes on the database (see {@link NetplaneAllocator}).
 * Ends with one "result:" line per figure; on stderr, where netplane's database time went
 * ({@link DatabaseSampler}). Args: seconds-per-run (default 10), prefill (default 1000),
 * netplane processes (default 2).
 */
public final class AllocationBench {

    record Result(String system, int clients, long allocations, double seconds, double p50ms, double p99ms) {
        double perSecond() {
            return allocations / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int prefill = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int processes = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        LocalCluster cluster = LocalCluster.start(Files.createTempDirectory("ipam-bench"));
        System.out.println("load average at start: " + loadAverage());
        List<Result> results = new ArrayList<>();
        for (int clients : new int[] {1, 16, 64}) {
            try (Connection admin = connect(cluster)) {
                SkipLockedPeer.prepare(admin, 0x0a400000L, 65536);
                results.add(run("peer (SKIP LOCKED)", new SkipLockedPeer(), cluster, clients, seconds));
                NetplaneAllocator netplane = new NetplaneAllocator(processes);
                netplane.prepare(admin, clients, prefill);
                try (Connection sampled = connect(cluster); DatabaseSampler sampler = new DatabaseSampler(sampled)) {
                    results.add(run("netplane", netplane, cluster, clients, seconds));
                    sampler.close();
                    sampler.print("netplane, " + clients + " clients", 14);
                }
            }
        }
        System.out.println("| clients | system | allocations/s | p50 ms | p99 ms |");
        System.out.println("|---:|---|---:|---:|---:|");
        for (Result r : results) {
            System.out.printf("| %d | %s | %.0f | %.2f | %.2f |%n", r.clients(), r.system(), r.perSecond(), r.p50ms(),
                    r.p99ms());
        }
        System.out.println();
        System.out.println("| clients | netplane / peer throughput | netplane / peer p99 |");
        System.out.println("|---:|---:|---:|");
        for (int i = 0; i < results.size(); i += 2) {
            Result peer = results.get(i);
            Result np = results.get(i + 1);
            System.out.printf("| %d | %.2f | %.2f |%n", np.clients(), np.perSecond() / peer.perSecond(),
                    np.p99ms() / peer.p99ms());
        }
        System.out.println();
        System.out.println("load average at end: " + loadAverage());
        for (int i = 0; i < results.size(); i += 2) {
            Result peer = results.get(i);
            Result np = results.get(i + 1);
            result("allocations_per_s_" + np.clients() + "_clients", np.perSecond(), peer.perSecond());
            result("p99_ms_" + np.clients() + "_clients", np.p99ms(), peer.p99ms());
        }
        cluster.close();
    }

    private static Result run(String system, Allocator allocator, LocalCluster cluster, int clients, int seconds)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        Set<Long> held = ConcurrentHashMap.newKeySet();
        List<long[]> latencies = new ArrayList<>();
        long[] counts = new long[clients];
        List<Thread> threads = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int i = 0; i < clients; i++) {
            int client = i;
            long[] lat = new long[200_000];
            latencies.add(lat);
            Thread t = new Thread(() -> {
                try (Connection c = connect(cluster)) {
                    ready.countDown();
                    go.await();
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        long address = allocator.allocate(c, client);
                        long took = System.nanoTime() - start;
                        if (!held.add(address)) {
                            throw new IllegalStateException(system + " handed out " + address + " twice");
                        }
                        if (counts[client] < lat.length) {
                            lat[(int) counts[client]] = took;
                        }
                        counts[client]++;
                        held.remove(address);
                        allocator.release(c, client, address);
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                    stop.set(true);
                }
            });
            threads.add(t);
            t.start();
        }
        ready.await();
        long begin = System.nanoTime();
        go.countDown();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        if (failure[0] != null) {
            throw new IllegalStateException(system + " failed", failure[0]);
        }
        long total = Arrays.stream(counts).sum();
        long[] all = new long[(int) Math.min(total, Integer.MAX_VALUE - 8)];
        int n = 0;
        for (int i = 0; i < clients; i++) {
            int k = (int) Math.min(counts[i], latencies.get(i).length);
            System.arraycopy(latencies.get(i), 0, all, n, k);
            n += k;
        }
        long[] sorted = Arrays.copyOf(all, n);
        Arrays.sort(sorted);
        Result r = new Result(system, clients, total, elapsed, sorted[(int) (n * 0.50)] / 1e6,
                sorted[Math.min(n - 1, (int) (n * 0.99))] / 1e6);
        System.err.printf("%s clients=%d allocations=%d rate=%.0f/s p50=%.2fms p99=%.2fms%n", system, clients, total,
                r.perSecond(), r.p50ms(), r.p99ms());
        return r;
    }

    private static void result(String metric, double netplane, double peer) {
        System.out.printf("result: %s netplane=%.2f peer=%.2f ratio=%.2f%n", metric, netplane, peer, netplane / peer);
    }

    private static String loadAverage() throws java.io.IOException {
        return Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    }

    private static Connection connect(LocalCluster cluster) throws Exception {
        return DriverManager.getConnection(cluster.jdbcUrl(), cluster.jdbcUser(), cluster.jdbcPassword());
    }

    private AllocationBench() {
    }
}
