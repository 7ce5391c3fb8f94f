package io.netplane.bench.outbox;

import io.netplane.events.HostHeartbeat;
import io.netplane.events.Topic;
import io.netplane.events.kafka.KafkaClientProperties;
import io.netplane.localcluster.LocalCluster;
import io.netplane.messaging.consume.EventConsumer;
import io.netplane.messaging.outbox.OutboxRelay;
import io.netplane.messaging.outbox.OutboxSchema;
import io.netplane.messaging.outbox.OutboxWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Outbox throughput on the real broker and database: N state changes, each its own transaction
 * (an UPDATE of the aggregate row plus its outbox row), committed by C concurrent writers while
 * the relay publishes and a consumer reads them back. Reports commits/s and end-to-end
 * deliveries/s (first commit to last event handled).
 *
 * <p>Usage: OutboxThroughput [events] [writers...]
 */
public final class OutboxThroughput {

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        List<Integer> writerCounts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            writerCounts.add(Integer.parseInt(args[i]));
        }
        if (writerCounts.isEmpty()) {
            writerCounts = List.of(1, 4, 16);
        }
        LocalCluster cluster = LocalCluster.shared();
        System.out.printf("%-8s %-8s %-14s %-16s%n", "writers", "events", "commits/s", "delivered/s e2e");
        for (int writers : writerCounts) {
            Result r = run(cluster, events, writers);
            System.out.printf("%-8d %-8d %-14.0f %-16.0f%n", writers, events, r.commitsPerSecond,
                    r.deliveredPerSecond);
        }
        System.exit(0);
    }

    record Result(double commitsPerSecond, double deliveredPerSecond) {
    }

    static Result run(LocalCluster cluster, int events, int writers) throws Exception {
        DataSource ds = cluster.dataSource();
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String prefix = schema + "-h";
        int aggregates = 1000;
        try (Connection c = ds.getConnection()) {
            OutboxSchema.ensure(c, schema);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE " + schema + ".host (id TEXT PRIMARY KEY, revision BIGINT NOT NULL)");
                st.execute("INSERT INTO " + schema + ".host SELECT '" + prefix + "' || g, 0 FROM generate_series(0, "
                        + (aggregates - 1) + ") g");
            }
        }
        OutboxWriter writer = new OutboxWriter(schema, "/netplane/bench");
        CountDownLatch delivered = new CountDownLatch(events);
        AtomicLong lastDelivery = new AtomicLong();
        try (OutboxRelay relay = new OutboxRelay(ds, schema, KafkaClientProperties.plaintext(cluster.kafkaBootstrap()));
                EventConsumer consumer = EventConsumer.builder()
                        .kafka(KafkaClientProperties.plaintext(cluster.kafkaBootstrap()))
                        .topics(Topic.HOSTS)
                        .groupId(schema)
                        .name(schema)
                        .handler((e, r) -> {
                            if (e.aggregateId().startsWith(prefix)) {
                                lastDelivery.set(System.nanoTime());
                                delivered.countDown();
                            }
                        })
                        .build()
                        .start()) {
            relay.start();
            consumer.awaitCaughtUp(Duration.ofSeconds(60));
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int first = w;
                done.add(pool.submit(() -> {
                    try (Connection c = ds.getConnection()) {
                        c.setAutoCommit(false);
                        for (int i = first; i < events; i += writers) {
                            change(c, schema, writer, prefix + (i % aggregates));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            long committed = System.nanoTime();
            pool.shutdown();
            if (!delivered.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + (events - delivered.getCount()) + " delivered");
            }
            double commitSeconds = (committed - start) / 1e9;
            double e2eSeconds = (lastDelivery.get() - start) / 1e9;
            return new Result(events / commitSeconds, events / e2eSeconds);
        }
    }

    private static void change(Connection c, String schema, OutboxWriter writer, String id) throws SQLException {
        long revision;
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE " + schema + ".host SET revision = revision + 1 WHERE id = ? RETURNING revision")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                revision = rs.getLong(1);
            }
        }
        writer.append(c, new HostHeartbeat(id, revision, Instant.now(), HostHeartbeat.SCHEMA_VERSION, "192.0.2.1",
                "bench", Instant.now()));
        c.commit();
    }
}
