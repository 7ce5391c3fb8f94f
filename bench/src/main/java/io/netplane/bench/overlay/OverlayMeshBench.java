package io.netplane.bench.overlay;

import io.netplane.events.EndpointAllocated;
import io.netplane.events.OverlayMesh;
import io.netplane.events.OverlayNetworkMesh;
import io.netplane.events.Topic;
import io.netplane.events.codec.EventJson;
import io.netplane.events.kafka.EventRecords;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;

/**
 * The overlay fan-out at scale, the per-network records (now) beside the whole host meshes
 * (before) in the same run, through the local-cluster broker to simulated agents
 * ({@link SimulatedAgents}). For each cluster size: the full recompute both ways; then, per
 * repeat, one endpoint added to the network spanning every host through the engine on the real
 * PostgreSQL, its records published and timed until every host's agent state holds them, and the
 * whole meshes the old contract published for the same change, timed the same way. Usage:
 * {@code OverlayMeshBench [hosts,hosts,...] [repeats] [agent threads]}.
 */
public final class OverlayMeshBench {

    static final String SCHEMA = "overlay_bench";

    public static void main(String[] args) throws Exception {
        int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "1000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        LocalCluster cluster = LocalCluster.shared();
        System.out.println("| hosts | endpoints | full records: ms | full records: MB | full whole meshes: ms"
                + " | full whole meshes: MB | derive one host's mesh: ms | engine +1 ep: ms"
                + " | +1 ep records: KB | +1 ep whole meshes: MB | to every agent, records: ms"
                + " | to every agent, whole meshes: ms | agents' replay of the records: ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        Row last = null;
        for (int hosts : sizes) {
            last = run(cluster, new Dataset(hosts, 200, 100, Math.min(50, hosts)), repeats, threads);
            System.out.println(last.table());
        }
        System.out.printf("result: wide_change_bytes netplane=%d peer=%d ratio=%.6f%n", last.changeBytes,
                last.wholeChangeBytes, (double) last.changeBytes / last.wholeChangeBytes);
        System.out.printf("result: wide_change_to_every_agent_ms netplane=%.1f peer=%.1f ratio=%.4f%n",
                last.toAgentsMs, last.wholeToAgentsMs, last.toAgentsMs / last.wholeToAgentsMs);
        System.out.printf("result: full_recompute_ms netplane=%.1f peer=%.1f ratio=%.4f%n", last.fullMs,
                last.wholeFullMs, last.fullMs / last.wholeFullMs);
    }

    record Row(int hosts, int endpoints, double fullMs, long fullBytes, double wholeFullMs, long wholeFullBytes,
            double deriveMs, double engineMs, long changeBytes, long wholeChangeBytes, double toAgentsMs,
            double wholeToAgentsMs, double replayMs) {
        String table() {
            return String.format("| %,d | %,d | %.0f | %.2f | %.0f | %.1f | %.2f | %.0f | %.1f | %.1f | %.0f | %.0f | %.0f |",
                    hosts, endpoints, fullMs, fullBytes / 1e6, wholeFullMs, wholeFullBytes / 1e6, deriveMs, engineMs,
                    changeBytes / 1e3, wholeChangeBytes / 1e6, toAgentsMs, wholeToAgentsMs, replayMs);
        }
    }

    static Row run(LocalCluster cluster, Dataset d, int repeats, int threads) throws Exception {
        MeshModel model = d.model();
        Instant now = Instant.now();
        List<Long> fullNanos = new ArrayList<>();
        List<Long> wholeNanos = new ArrayList<>();
        long fullBytes = 0;
        long wholeBytes = 0;
        List<OverlayNetworkMesh> records = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            long bytes = 0;
            records.clear();
            for (int n = 0; n < d.networks(); n++) {
                OverlayNetworkMesh record = model.networkMesh(Dataset.network(n), 1, now);
                bytes += EventJson.encode(record).length;
                records.add(record);
            }
            fullNanos.add(System.nanoTime() - t0);
            fullBytes = bytes;
            t0 = System.nanoTime();
            bytes = 0;
            for (int h = 0; h < d.hosts(); h++) {
                bytes += EventJson.encode(wholeMesh(model, Dataset.host(h), 1)).length;
            }
            wholeNanos.add(System.nanoTime() - t0);
            wholeBytes = bytes;
        }
        List<Long> deriveNanos = new ArrayList<>();
        for (int h = 0; h < d.hosts(); h += Math.max(1, d.hosts() / 50)) {
            long t0 = System.nanoTime();
            OverlayMesh.of(Dataset.host(h), records);
            deriveNanos.add(System.nanoTime() - t0);
        }

        System.err.printf("%d hosts: full recompute done (records %.0f ms, whole meshes %.0f ms)%n", d.hosts(),
                median(fullNanos) / 1e6, median(wholeNanos) / 1e6);
        DataSource ds = cluster.dataSource();
        prepareSchema(ds, d);
        OverlayEngine engine = new OverlayEngine(new OverlayStore(SCHEMA), Clock.systemUTC(), Duration.ofHours(1));
        String recordsTopic = Topic.OVERLAY_MESH.topicName() + "-" + d.hosts();
        String wholeTopic = Topic.OVERLAY_MESH.topicName() + "-whole-" + d.hosts();
        createTopics(cluster, recordsTopic, wholeTopic);
        List<Long> engineNanos = new ArrayList<>();
        List<Long> toAgents = new ArrayList<>();
        List<Long> wholeToAgents = new ArrayList<>();
        long changeBytes = 0;
        long wholeChangeBytes = 0;
        double replayMs;
        try (KafkaProducer<String, byte[]> producer = producer(cluster);
                SimulatedAgents agents = new SimulatedAgents(cluster.kafkaBootstrap(), recordsTopic, wholeTopic,
                        d.hosts(), threads)) {
            long t0 = System.nanoTime();
            for (OverlayNetworkMesh r : records) {
                producer.send(record(recordsTopic, r));
            }
            producer.flush();
            agents.awaitRecords(records.size());
            replayMs = (System.nanoTime() - t0) / 1e6;

            for (int r = 0; r < repeats; r++) {
                EndpointAllocated e = newEndpoint(0, r, Dataset.host((r * 7) % d.hosts()));
                List<OverlayNetworkMesh> changed;
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    long e0 = System.nanoTime();
                    changed = engine.apply(c, e);
                    c.commit();
                    engineNanos.add(System.nanoTime() - e0);
                }
                if (changed.size() != 1) {
                    throw new IllegalStateException("expected one record for one endpoint, got " + changed.size());
                }
                // now: the changed network's record, once
                agents.expect(e, changed.get(0).revision());
                long s0 = System.nanoTime();
                changeBytes = sendAndAwait(producer, agents,
                        changed.stream().map(m -> record(recordsTopic, m)));
                toAgents.add(System.nanoTime() - s0);
                agents.verifyEveryHostHas(e);

                // before: every host carrying the network republished its whole mesh (built here, as the
                // old engine built it inside its transaction)
                MeshModel current;
                try (Connection c = ds.getConnection()) {
                    current = engine.model(c);
                }
                long revision = 2L + r;
                agents.expectWhole(revision);
                long w0 = System.nanoTime();
                wholeChangeBytes = sendAndAwait(producer, agents, current.hostsCarrying(Dataset.network(0)).stream()
                        .map(host -> new ProducerRecord<>(wholeTopic, host,
                                EventJson.encode(wholeMesh(current, host, revision)))));
                wholeToAgents.add(System.nanoTime() - w0);
                System.err.printf("round %d: records %d B in %.0f ms, whole meshes %d B in %.0f ms%n", r, changeBytes,
                        toAgents.get(r) / 1e6, wholeChangeBytes, wholeToAgents.get(r) / 1e6);
            }
        }
        double engineMs = median(engineNanos) / 1e6;
        return new Row(d.hosts(), d.hosts() * d.endpointsPerHost(), median(fullNanos) / 1e6, fullBytes,
                median(wholeNanos) / 1e6, wholeBytes, median(deriveNanos) / 1e6, engineMs, changeBytes,
                wholeChangeBytes, engineMs + median(toAgents) / 1e6, engineMs + median(wholeToAgents) / 1e6,
                replayMs);
    }

    /** A host's whole mesh, as the old contract published it for every host of a changed network. */
    static OverlayMesh wholeMesh(MeshModel model, String host, long revision) {
        return new OverlayMesh(host, revision, Instant.now(), OverlayMesh.SCHEMA_VERSION,
                model.host(host).orElseThrow().underlayAddress(), model.meshOf(host));
    }

    /** The record the outbox relay sends, on this run's topic (one per cluster size). */
    static ProducerRecord<String, byte[]> record(String topic, OverlayNetworkMesh m) {
        ProducerRecord<String, byte[]> r = EventRecords.toRecord(m, "/bench/overlay");
        return new ProducerRecord<>(topic, null, r.key(), r.value(), r.headers());
    }

    /** Sends the records (built as they go), then waits until every simulated agent has what it expects; the bytes sent. */
    static long sendAndAwait(KafkaProducer<String, byte[]> producer, SimulatedAgents agents,
            Stream<ProducerRecord<String, byte[]>> records) throws InterruptedException {
        long[] bytes = {0};
        records.forEach(r -> {
            bytes[0] += size(r);
            producer.send(r);
        });
        producer.flush();
        agents.awaitExpected();
        return bytes[0];
    }

    static long size(ProducerRecord<String, byte[]> r) {
        long bytes = r.key().length() + r.value().length;
        for (Header h : r.headers()) {
            bytes += h.key().length() + h.value().length;
        }
        return bytes;
    }

    static KafkaProducer<String, byte[]> producer(LocalCluster cluster) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20); // a whole mesh is close to the 1 MB default
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L << 20);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Both topics with the configuration of the real overlay-mesh topic (the whole meshes may be larger). */
    static void createTopics(LocalCluster cluster, String... names) throws Exception {
        try (Admin admin = Admin.create(new HashMap<>(cluster.kafkaAdminConfig()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                Map<String, String> config = new HashMap<>(Topic.OVERLAY_MESH.config());
                config.put("max.message.bytes", Integer.toString(4 << 20));
                topics.add(new NewTopic(name, Topic.OVERLAY_MESH.partitions(), (short) 1).configs(config));
            }
            admin.createTopics(topics).all().get();
        }
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
        // The service's own store, in one transaction (the service itself writes as events come),
        // with every network's record published once at revision 1.
        OverlayStore store = new OverlayStore(SCHEMA);
        Map<String, Long> published = new HashMap<>();
        for (int n = 0; n < d.networks(); n++) {
            published.put(Dataset.network(n), 1L);
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            store.saveHosts(c, d.hostEntries());
            store.saveNetworks(c, d.networkEntries());
            store.saveEndpoints(c, d.endpointEntries());
            store.saveMeshRevisions(c, published);
            c.commit();
        }
    }

    static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
