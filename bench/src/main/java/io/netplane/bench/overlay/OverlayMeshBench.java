package io.netplane.bench.overlay;

import io.netplane.events.EndpointAllocated;
import io.netplane.events.OverlayMesh;
import io.netplane.events.codec.EventJson;
import io.netplane.localcluster.LocalCluster;
import io.netplane.overlay.engine.OverlayEngine;
import io.netplane.overlay.model.MeshModel;
import io.netplane.overlay.store.OverlayStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The overlay mesh at scale: for each cluster size, the full computation (every host's mesh,
 * JSON-encoded as published), and one endpoint added to the network spanning every host and to
 * a narrow one, through the engine on the real PostgreSQL (state rows + mesh revisions written,
 * meshes computed and encoded; the outbox insert is not included). Usage:
 * {@code OverlayMeshBench [hosts,hosts,...] [repeats]}.
 */
public final class OverlayMeshBench {

    static final String SCHEMA = "overlay_bench";

    public static void main(String[] args) throws Exception {
        int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "100,250,500,1000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        DataSource ds = LocalCluster.shared().dataSource();
        System.out.println("| hosts | endpoints | networks | avg peers/host | full: ms | full: MB | max mesh KB"
                + " | load from DB: ms | +1 ep wide: hosts | +1 ep wide: ms | +1 ep wide: MB"
                + " | +1 ep narrow: hosts | +1 ep narrow: ms | +1 ep narrow: MB | narrow / full bytes |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int hosts : sizes) {
            System.out.println(row(ds, new Dataset(hosts, 200, 100, Math.min(50, hosts)), repeats));
        }
    }

    static String row(DataSource ds, Dataset d, int repeats) throws SQLException {
        MeshModel model = d.model();
        long peers = 0;
        long maxBytes = 0;
        long fullBytes = 0;
        List<Long> fullNanos = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            long bytes = 0;
            for (int h = 0; h < d.hosts(); h++) {
                String host = Dataset.host(h);
                OverlayMesh mesh = new OverlayMesh(host, 2, Instant.now(), OverlayMesh.SCHEMA_VERSION,
                        Dataset.vtep(h), model.meshOf(host));
                int size = EventJson.encode(mesh).length;
                bytes += size;
                if (r == 0) {
                    maxBytes = Math.max(maxBytes, size);
                    peers += mesh.networks().stream().mapToLong(n -> n.peers().size()).sum();
                }
            }
            fullNanos.add(System.nanoTime() - t0);
            fullBytes = bytes;
        }

        prepareSchema(ds, d);
        OverlayEngine engine = new OverlayEngine(new OverlayStore(SCHEMA), Clock.systemUTC(), Duration.ofHours(1));
        long loadNanos;
        try (Connection c = ds.getConnection()) {
            long t0 = System.nanoTime();
            engine.model(c);
            loadNanos = System.nanoTime() - t0;
        }
        Measure wide = addEndpoints(ds, engine, d, 0, repeats);
        Measure narrow = addEndpoints(ds, engine, d, 1, repeats);
        double full = median(fullNanos) / 1e6;
        return String.format("| %d | %d | %d | %.0f | %.0f | %.1f | %.0f | %.0f | %d | %.0f | %.1f | %d | %.0f | %.1f | %.3f |",
                d.hosts(), d.hosts() * d.endpointsPerHost(), d.networks(), (double) peers / d.hosts(), full,
                fullBytes / 1e6, maxBytes / 1e3, loadNanos / 1e6, wide.hosts, wide.millis, wide.bytes / 1e6,
                narrow.hosts, narrow.millis, narrow.bytes / 1e6, (double) narrow.bytes / fullBytes);
    }

    record Measure(int hosts, double millis, long bytes) {
    }

    /** Adds {@code repeats} endpoints to network n one at a time; the median time and bytes of one. */
    static Measure addEndpoints(DataSource ds, OverlayEngine engine, Dataset d, int n, int repeats)
            throws SQLException {
        List<Long> nanos = new ArrayList<>();
        long bytes = 0;
        int hosts = 0;
        for (int r = 0; r < repeats; r++) {
            EndpointAllocated e = newEndpoint(n, r, Dataset.host(d.start(Math.max(n, 1)) + r % Math.min(2, d.span())));
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                long t0 = System.nanoTime();
                List<OverlayMesh> meshes = engine.apply(c, e);
                long b = 0;
                for (OverlayMesh m : meshes) {
                    b += EventJson.encode(m).length;
                }
                c.commit();
                nanos.add(System.nanoTime() - t0);
                bytes = b;
                hosts = meshes.size();
            }
        }
        return new Measure(hosts, median(nanos) / 1e6, bytes);
    }

    static EndpointAllocated newEndpoint(int n, int r, String host) {
        String id = String.format("bench-%03d-%04d", n, r);
        String ip = "10." + n + ".250." + (r + 1);
        String mac = String.format("02:42:0a:%02x:fa:%02x", n, r + 1);
        return new EndpointAllocated(id, 1, Instant.now(), EndpointAllocated.SCHEMA_VERSION, "c-" + id, id, id, host,
                "create", host + "-" + id, Dataset.network(n), "net" + n, "overlay", "eth0", mac, ip + "/16", null,
                null, 1450, List.of(), List.of(), List.of(), true, false, List.of(), List.of(), false);
    }

    static void prepareSchema(DataSource ds, Dataset d) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + SCHEMA + " cascade");
        }
        Flyway.configure().dataSource(ds).schemas(SCHEMA).locations(OverlayStore.MIGRATIONS).load().migrate();
        // The service's own store, in one transaction (the service itself writes as events come).
        OverlayStore store = new OverlayStore(SCHEMA);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            store.saveHosts(c, d.hostEntries());
            store.saveNetworks(c, d.networkEntries());
            store.saveEndpoints(c, d.endpointEntries());
            c.commit();
        }
    }

    static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
