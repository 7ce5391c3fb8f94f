package io.netplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.codec.TraceParent;
import io.netplane.events.kafka.EventRecords;
import io.netplane.events.NetworkCreated;
import io.netplane.events.Topic;
import io.netplane.events.kafka.KafkaClientProperties;
import io.netplane.localcluster.LocalCluster;
import io.netplane.messaging.consume.EventConsumer;
import io.netplane.messaging.outbox.OutboxRelay;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transactional outbox against the real PostgreSQL and Kafka broker of local-cluster. */
class OutboxTest {

    private static final LocalCluster CLUSTER = LocalCluster.shared();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    /** Every (aggregate, revision) the consumer was offered, before the revision gate. */
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    /** The consumer's view: newest name per aggregate. */
    private final Map<String, String> view = new ConcurrentHashMap<>();
    /** The trace each aggregate's newest record carried ("none" when it carried none). */
    private final Map<String, String> traces = new ConcurrentHashMap<>();
    private Demo demo;
    private OutboxRelay relay;
    private EventConsumer consumer;

    @BeforeEach
    void start() throws Exception {
        demo = new Demo(CLUSTER.dataSource());
        relay = new OutboxRelay(CLUSTER.dataSource(), demo.schema, KafkaClientProperties.plaintext(CLUSTER.kafkaBootstrap()));
        relay.start();
        consumer = EventConsumer.builder()
                .kafka(KafkaClientProperties.plaintext(CLUSTER.kafkaBootstrap()))
                .topics(Topic.NETWORKS)
                .groupId("outbox-test-" + run)
                .name("outbox-test")
                .handler(this::apply)
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        relay.close();
        consumer.close();
    }

    private void apply(NetplaneEvent event, org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> r) {
        NetworkCreated n = (NetworkCreated) event;
        if (n.networkId().startsWith(run)) {
            view.put(n.networkId(), n.name());
            traces.put(n.networkId(), EventRecords.trace(r.headers()).map(TraceParent::toString).orElse("none"));
        }
    }

    @Test
    void aChangeMadeInATraceIsPublishedAsAStepOfIt() throws Exception {
        TraceParent trace = TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").orElseThrow();
        TraceParent before = TraceParent.makeCurrent(trace);
        try {
            demo.change(run + "-traced", "traced", true);
        } finally {
            TraceParent.makeCurrent(before);
        }
        demo.change(run + "-untraced", "untraced", true);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> traces.containsKey(run + "-traced") && traces.containsKey(run + "-untraced"));
        assertThat(traces).containsEntry(run + "-traced", trace.toString())
                .containsEntry(run + "-untraced", "none");
    }

    @Test
    void committedChangeArrivesRolledBackNeverDoes() throws Exception {
        demo.change(run + "-kept", "kept", true);
        demo.change(run + "-undone", "undone", false);
        demo.change(run + "-later", "later", true);

        // Order holds per key only: "later" may sit on another partition and arrive before "kept".
        await().atMost(Duration.ofSeconds(60))
                .until(() -> view.containsKey(run + "-kept") && view.containsKey(run + "-later"));
        assertThat(view).containsEntry(run + "-kept", "kept").containsEntry(run + "-later", "later")
                .doesNotContainKey(run + "-undone");
        assertThat(outboxRows("undone")).isZero();
    }

    @Test
    void brokerOutageLosesNothingAndTheViewEqualsTheDatabase() throws Exception {
        consumer.close();
        consumer = EventConsumer.builder()
                .kafka(KafkaClientProperties.plaintext(CLUSTER.kafkaBootstrap()))
                .topics(Topic.NETWORKS)
                .groupId("outbox-outage-" + run)
                .name("outbox-outage")
                .handler((event, r) -> {
                    if (event.aggregateId().startsWith(run)) {
                        delivered.add(event.aggregateId() + "@" + event.revision());
                        apply(event, r);
                    }
                })
                .build()
                .start();
        assertThat(consumer.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();

        CLUSTER.stopKafka();
        Set<String> committed = ConcurrentHashMap.newKeySet();
        Random random = new Random(7);
        try {
            for (int i = 0; i < 1000; i++) {
                NetworkCreated e = demo.change(run + "-n" + random.nextInt(100), "name-" + i, true);
                committed.add(e.networkId() + "@" + e.revision());
            }
        } finally {
            CLUSTER.startKafka();
        }

        // delivered is filled after the revision gate, so this also proves per-key order was kept.
        await().atMost(Duration.ofMinutes(3)).until(() -> delivered.containsAll(committed));
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(committed);
        await().atMost(Duration.ofSeconds(30)).until(() -> view.equals(demo.namesInDatabase()));
        assertThat(view).isEqualTo(demo.namesInDatabase());
        await().atMost(Duration.ofSeconds(30)).until(() -> outboxUnsent() == 0);
    }

    @Test
    void twoRelaysOnOneOutboxNeverPublishOutOfOrder() throws Exception {
        consumer.close();
        consumer = EventConsumer.builder()
                .kafka(KafkaClientProperties.plaintext(CLUSTER.kafkaBootstrap()))
                .topics(Topic.NETWORKS)
                .groupId("outbox-two-relays-" + run)
                .name("outbox-two-relays")
                .handler((event, r) -> {
                    if (event.aggregateId().startsWith(run)) {
                        delivered.add(event.aggregateId() + "@" + event.revision());
                    }
                })
                .build()
                .start();
        // A second service process's relay on the same schema: only one may publish at a time.
        try (OutboxRelay second = new OutboxRelay(CLUSTER.dataSource(), demo.schema, KafkaClientProperties.plaintext(CLUSTER.kafkaBootstrap()))) {
            second.start();
            Set<String> committed = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 300; i++) {
                NetworkCreated e = demo.change(run + "-r" + (i % 20), "name-" + i, true);
                committed.add(e.networkId() + "@" + e.revision());
            }
            // delivered is filled after the revision gate: a revision overtaken by a newer one would be missing.
            await().atMost(Duration.ofMinutes(2)).until(() -> delivered.containsAll(committed));
            assertThat(delivered).containsExactlyInAnyOrderElementsOf(committed);
            // The first relay holds the schema's relay lock for its whole life: the second published nothing.
            // The relay counts a batch once it is marked sent, a moment after the consumer may see it.
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.published() >= 300);
            assertThat(second.published()).isZero();
        }
    }

    private long outboxRows(String name) throws Exception {
        try (Connection c = CLUSTER.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + demo.schema
                        + ".outbox WHERE convert_from(payload, 'UTF8') LIKE '%\"" + name + "\"%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long outboxUnsent() throws Exception {
        try (Connection c = CLUSTER.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + demo.schema + ".outbox WHERE sent_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
