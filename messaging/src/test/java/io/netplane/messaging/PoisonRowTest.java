package io.netplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.events.EventType;
import io.netplane.events.Topic;
import io.netplane.events.codec.CloudEvent;
import io.netplane.events.kafka.EventRecords;
import io.netplane.localcluster.LocalCluster;
import io.netplane.messaging.outbox.OutboxRelay;
import io.netplane.messaging.outbox.OutboxSchema;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A row the broker refuses for good goes to dead-letter and the rows behind it go on, in order per
 * key, against the real broker and PostgreSQL of local-cluster. Rows are written straight into the
 * outbox, all before the relay starts, so that the refused row sits in the middle of one batch.
 */
class PoisonRowTest {

    private static final LocalCluster CLUSTER = LocalCluster.shared();
    /** The test topic's max.message.bytes: far below the producer's max.request.size (1 MiB). */
    private static final int TOPIC_LIMIT = 4096;
    private static final String NETWORK_CREATED = EventType.NETWORK_CREATED.ceType();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String schema = "poison_" + run;
    private final String topic = "poison-" + run;
    private final String k1 = run + "-k1";
    private final String k2 = run + "-k2";
    private OutboxRelay relay;
    private KafkaConsumer<String, byte[]> reader;

    @BeforeEach
    void createTopicAndOutbox() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", CLUSTER.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)
                    .configs(Map.of("max.message.bytes", Integer.toString(TOPIC_LIMIT))))).all().get();
        }
        try (Connection c = CLUSTER.dataSource().getConnection()) {
            OutboxSchema.ensure(c, schema);
        }
        relay = new OutboxRelay(CLUSTER.dataSource(), schema, CLUSTER.kafkaBootstrap());
        reader = new KafkaConsumer<>(Map.of("bootstrap.servers", CLUSTER.kafkaBootstrap()),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        partitions.add(new TopicPartition(Topic.DEAD_LETTER.topicName(), 0));
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
    }

    @AfterEach
    void stop() {
        relay.close();
        reader.close();
    }

    @Test
    void aRowTooLargeForItsTopicIsDeadLetteredAndTheRowsBehindItGoOnInOrderPerKey() throws Exception {
        long a = insert(k1, NETWORK_CREATED, "A");
        long big = insert(k2, NETWORK_CREATED, "B".repeat(4 * TOPIC_LIMIT));
        insert(k1, NETWORK_CREATED, "C");
        insert(k2, NETWORK_CREATED, "D");
        relay.start();

        Records seen = awaitRecords(1, k1, List.of("A", "C"), k2, List.of("D"));
        assertThat(seen.onTopic.get(k2)).doesNotContain("B".repeat(4 * TOPIC_LIMIT));
        assertThat(relay.deadLettered()).isEqualTo(1);

        ConsumerRecord<String, byte[]> dead = seen.deadLetter(k2);
        assertThat(header(dead, EventRecords.DLQ_REASON))
                .startsWith("RecordTooLargeException: ")
                .contains("larger than the max message size")
                .contains("payload of " + 4 * TOPIC_LIMIT + " bytes");
        assertThat(header(dead, EventRecords.DLQ_TOPIC)).isEqualTo(topic);
        assertThat(header(dead, EventRecords.DLQ_OUTBOX_SCHEMA)).isEqualTo(schema);
        assertThat(header(dead, EventRecords.DLQ_OUTBOX_ID)).isEqualTo(Long.toString(big));
        assertThat(header(dead, CloudEvent.H_TYPE)).isEqualTo(NETWORK_CREATED);
        assertThat(header(dead, CloudEvent.H_SUBJECT)).isEqualTo(k2);
        assertThat(header(dead, EventRecords.DLQ_PAYLOAD_OMITTED)).isNull();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("B".repeat(4 * TOPIC_LIMIT));

        assertThat(deadLetteredRows()).containsOnlyKeys(big);
        assertThat(deadLetteredRows().get(big)).isEqualTo(header(dead, EventRecords.DLQ_REASON));
        // A row is marked sent a moment after the broker acknowledged it, which the reader may see first.
        await().atMost(Duration.ofSeconds(30)).until(() -> sentRows().size() == 3);
        assertThat(sentRows()).doesNotContain(big).contains(a);
    }

    @Test
    void aRowOfAnUnknownTypeIsDeadLetteredAndTheRowsBehindItArePublished() throws Exception {
        insert(k1, NETWORK_CREATED, "X");
        long unknown = insert(k2, "io.netplane.NoSuchEvent", "{}");
        insert(k2, NETWORK_CREATED, "Y");
        insert(k1, NETWORK_CREATED, "Z");
        relay.start();

        Records seen = awaitRecords(1, k1, List.of("X", "Z"), k2, List.of("Y"));
        assertThat(relay.deadLettered()).isEqualTo(1);
        ConsumerRecord<String, byte[]> dead = seen.deadLetter(k2);
        assertThat(header(dead, EventRecords.DLQ_REASON))
                .isEqualTo("MalformedEventException: outbox row of unknown type io.netplane.NoSuchEvent");
        assertThat(header(dead, CloudEvent.H_TYPE)).isEqualTo("io.netplane.NoSuchEvent");
        assertThat(header(dead, EventRecords.DLQ_OUTBOX_ID)).isEqualTo(Long.toString(unknown));
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(deadLetteredRows()).containsOnlyKeys(unknown);
    }

    @Test
    void aRowTooLargeForTheProducerIsDeadLetteredWithoutItsPayload() throws Exception {
        int size = 1_200_000; // over the producer's max.request.size (1 MiB): refused before the broker
        insert(k1, NETWORK_CREATED, "P");
        long huge = insert(k1, NETWORK_CREATED, "H".repeat(size));
        insert(k1, NETWORK_CREATED, "Q");
        relay.start();

        Records seen = awaitRecords(1, k1, List.of("P", "Q"), k2, List.of());
        assertThat(relay.deadLettered()).isEqualTo(1);
        ConsumerRecord<String, byte[]> dead = seen.deadLetter(k1);
        assertThat(header(dead, EventRecords.DLQ_REASON))
                .startsWith("RecordTooLargeException: ")
                .contains("max.request.size")
                .contains("payload of " + size + " bytes");
        assertThat(dead.value()).isNull();
        assertThat(header(dead, EventRecords.DLQ_PAYLOAD_OMITTED)).isEqualTo(size + " bytes");
        assertThat(deadLetteredRows()).containsOnlyKeys(huge);
    }

    @Test
    void anOutboxMadeBeforeDeadLettersMigratesAndItsRowsArePublished() throws Exception {
        String old = "poison_old_" + run;
        try (Connection c = CLUSTER.dataSource().getConnection(); Statement st = c.createStatement()) {
            // The table as releases before dead letters created it, with a row not yet sent.
            st.execute("CREATE SCHEMA " + old);
            st.execute("CREATE TABLE " + old + ".outbox (id BIGSERIAL PRIMARY KEY, event_id UUID NOT NULL,"
                    + " topic TEXT NOT NULL, record_key TEXT NOT NULL, ce_type TEXT NOT NULL, ce_source TEXT NOT NULL,"
                    + " occurred_at TIMESTAMPTZ NOT NULL, payload BYTEA NOT NULL,"
                    + " created_at TIMESTAMPTZ NOT NULL DEFAULT now(), sent_at TIMESTAMPTZ)");
            insert(c, old, k1, NETWORK_CREATED, "old");
            OutboxSchema.ensure(c, old);
            OutboxSchema.ensure(c, old);
        }
        try (OutboxRelay oldRelay = new OutboxRelay(CLUSTER.dataSource(), old, CLUSTER.kafkaBootstrap())) {
            oldRelay.start();
            awaitRecords(0, k1, List.of("old"), k2, List.of());
            assertThat(oldRelay.deadLettered()).isZero();
        }
    }

    /** What the reader saw: values per key on the test topic, in arrival order, and dead letters of this run. */
    private static final class Records {
        final Map<String, List<String>> onTopic = new HashMap<>();
        final Map<String, ConsumerRecord<String, byte[]>> deadLetters = new LinkedHashMap<>();

        ConsumerRecord<String, byte[]> deadLetter(String key) {
            assertThat(deadLetters).containsKey(key);
            return deadLetters.get(key);
        }

        /**
         * The values of {@code key} with repeats dropped as a consumer's revision gate drops them: a
         * batch cut short by a refused row is sent again from the first unsent row, so a row can come twice,
         * but never after a later row of its key.
         */
        List<String> firstArrivals(String key, List<String> order) {
            List<String> kept = new ArrayList<>();
            int newest = -1;
            for (String v : onTopic.getOrDefault(key, List.of())) {
                int rank = order.indexOf(v);
                assertThat(rank).as("%s of %s arrived after a later row of its key", v, key).isGreaterThanOrEqualTo(newest);
                if (rank > newest) {
                    kept.add(v);
                    newest = rank;
                }
            }
            return kept;
        }
    }

    private Records awaitRecords(int deadLetters, String key1, List<String> values1, String key2, List<String> values2) {
        Records seen = new Records();
        await().atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
            for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                if (r.key() == null || !r.key().startsWith(run)) {
                    continue;
                }
                if (r.topic().equals(topic)) {
                    seen.onTopic.computeIfAbsent(r.key(), k -> new ArrayList<>())
                            .add(new String(r.value(), StandardCharsets.UTF_8));
                } else {
                    seen.deadLetters.put(r.key(), r);
                }
            }
            return seen.onTopic.getOrDefault(key1, List.of()).containsAll(values1)
                    && seen.onTopic.getOrDefault(key2, List.of()).containsAll(values2)
                    && seen.deadLetters.size() == deadLetters;
        });
        assertThat(seen.firstArrivals(key1, values1)).containsExactlyElementsOf(values1);
        assertThat(seen.firstArrivals(key2, values2)).containsExactlyElementsOf(values2);
        return seen;
    }

    private long insert(String key, String ceType, String payload) throws SQLException {
        try (Connection c = CLUSTER.dataSource().getConnection()) {
            return insert(c, schema, key, ceType, payload);
        }
    }

    private long insert(Connection c, String inSchema, String key, String ceType, String payload) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + inSchema + ".outbox (event_id, topic,"
                + " record_key, ce_type, ce_source, occurred_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, topic);
            ps.setString(3, key);
            ps.setString(4, ceType);
            ps.setString(5, "/netplane/test");
            ps.setTimestamp(6, Timestamp.from(Instant.now()));
            ps.setBytes(7, payload.getBytes(StandardCharsets.UTF_8));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Dead-lettered rows (id to failure); they are never marked sent. */
    private Map<Long, String> deadLetteredRows() throws SQLException {
        Map<Long, String> rows = new HashMap<>();
        try (Connection c = CLUSTER.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, failure, sent_at FROM " + schema
                        + ".outbox WHERE dead_lettered_at IS NOT NULL")) {
            while (rs.next()) {
                assertThat(rs.getTimestamp(3)).isNull();
                rows.put(rs.getLong(1), rs.getString(2));
            }
        }
        return rows;
    }

    private List<Long> sentRows() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = CLUSTER.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM " + schema + ".outbox WHERE sent_at IS NOT NULL")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return EventRecords.header(r.headers(), name);
    }
}
