package io.netplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.events.EventType;
import io.netplane.events.Topic;
import io.netplane.events.codec.CloudEvent;
import io.netplane.events.kafka.EventRecords;
import io.netplane.events.kafka.KafkaClientProperties;
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
    /**
     * The test topic's max.message.bytes: far below the producer's max.request.size (1 MiB), and above
     * its batch.size (16 KiB). Below that, a batch of small records is refused as a whole and the
     * producer splits it into batches of batch.size again, endlessly, until the delivery timeout.
     */
    private static final int TOPIC_LIMIT = 32 * 1024;
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
        relay = new OutboxRelay(CLUSTER.dataSource(), schema, KafkaClientProperties.plaintext(CLUSTER.kafkaBootstrap()));
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
        long big = insert(k2, NETWORK_CREATED, "B".repeat(2 * TOPIC_LIMIT));
        insert(k1, NETWORK_CREATED, "C");
        insert(k2, NETWORK_CREATED, "D");
        relay.start();

        Records seen = awaitRecords(1, Map.of(k1, List.of("A", "C"), k2, List.of("D")));
        assertThat(seen.onTopic.get(k2)).doesNotContain("B".repeat(2 * TOPIC_LIMIT));
        assertThat(relay.deadLettered()).isEqualTo(1);

        ConsumerRecord<String, byte[]> dead = seen.deadLetter(k2);
        assertThat(header(dead, EventRecords.DLQ_REASON))
                .startsWith("RecordTooLargeException: ")
                .contains("larger than the max message size")
                .contains("payload of " + 2 * TOPIC_LIMIT + " bytes");
        assertThat(header(dead, EventRecords.DLQ_TOPIC)).isEqualTo(topic);
        assertThat(header(dead, EventRecords.DLQ_OUTBOX_SCHEMA)).isEqualTo(schema);
        assertThat(header(dead, EventRecords.DLQ_OUTBOX_ID)).isEqualTo(Long.toString(big));
        assertThat(header(dead, CloudEvent.H_TYPE)).isEqualTo(NETWORK_CREATED);
        assertThat(header(dead, CloudEvent.H_SUBJECT)).isEqualTo(k2);
        assertThat(header(dead, EventRecords.DLQ_PAYLOAD_OMITTED)).isNull();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("B".repeat(2 * TOPIC_LIMIT));

        assertThat(deadLetteredRows()).containsOnlyKeys(big);
        assertThat(deadLetteredRows().get(big)).isEqualTo(header(dead, EventRecords.DLQ_REASON));
        assertThat(sentRows()).hasSize(3).doesNotContain(big).contains(a);
    }

    @Test
    void refusedRowsInTheMiddleOfBatchesReorderNoKey() throws Exception {
        Map<String, List<String>> expected = new HashMap<>();
        for (int i = 0; i < 600; i++) {
            String key = run + "-n" + (i % 12);
            if (i % 150 == 75) {
                insert(key, NETWORK_CREATED, "too large " + i + " " + "x".repeat(TOPIC_LIMIT));
            } else {
                insert(key, NETWORK_CREATED, "v" + i);
                expected.computeIfAbsent(key, k -> new ArrayList<>()).add("v" + i);
            }
        }
        relay.start();

        awaitRecords(4, expected);
        assertThat(sentRows()).hasSize(596);
        assertThat(deadLetteredRows()).hasSize(4);
    }

    @Test
    void aRowOfAnUnknownTypeIsDeadLetteredAndTheRowsBehindItArePublished() throws Exception {
        insert(k1, NETWORK_CREATED, "X");
        long unknown = insert(k2, "io.netplane.NoSuchEvent", "{}");
        insert(k2, NETWORK_CREATED, "Y");
        insert(k1, NETWORK_CREATED, "Z");
        relay.start();

        Records seen = awaitRecords(1, Map.of(k1, List.of("X", "Z"), k2, List.of("Y")));
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

        Records seen = awaitRecords(1, Map.of(k1, List.of("P", "Q")));
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
        try (OutboxRelay oldRelay = new OutboxRelay(CLUSTER.dataSource(), old, KafkaClientProperties.plaintext(CLUSTER.kafkaBootstrap()))) {
            oldRelay.start();
            awaitRecords(oldRelay, old, 0, Map.of(k1, List.of("old")));
        }
        try (Connection c = CLUSTER.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE sent_at IS NOT NULL),"
                        + " count(*) FILTER (WHERE dead_lettered_at IS NULL AND failure IS NULL) FROM " + old + ".outbox")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the old row, published, is marked sent").isEqualTo(1);
            assertThat(rs.getInt(2)).as("the new columns exist and are empty for it").isEqualTo(1);
        }
    }

    /** What the reader saw: values per key on the test topic, in arrival order, and dead letters of this run. */
    private static final class Records {
        final Map<String, List<String>> onTopic = new HashMap<>();
        final List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();

        void add(ConsumerRecord<String, byte[]> r, String topic) {
            if (r.topic().equals(topic)) {
                onTopic.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new String(r.value(), StandardCharsets.UTF_8));
            } else {
                deadLetters.add(r);
            }
        }

        ConsumerRecord<String, byte[]> deadLetter(String key) {
            assertThat(deadLetters).extracting(ConsumerRecord::key).containsExactly(key);
            return deadLetters.get(0);
        }

        /**
         * The values of {@code key} as a consumer's revision gate passes them: a batch cut short by a
         * refused row is sent again from the first unsent row, so rows acknowledged after the refused one
         * come again, after newer rows of their key; the gate drops them as not newer.
         */
        List<String> gated(String key, List<String> order) {
            List<String> kept = new ArrayList<>();
            int newest = -1;
            for (String v : onTopic.getOrDefault(key, List.of())) {
                int rank = order.indexOf(v);
                if (rank > newest) {
                    kept.add(v);
                    newest = rank;
                }
            }
            return kept;
        }

        /** The value that compaction keeps for {@code key}. */
        String last(String key) {
            List<String> values = onTopic.get(key);
            return values.get(values.size() - 1);
        }
    }

    private Records awaitRecords(int deadLetters, Map<String, List<String>> expected) throws SQLException {
        return awaitRecords(relay, schema, deadLetters, expected);
    }

    /**
     * Waits until {@code r} has dealt with every row of {@code outbox} and reads both topics to their end;
     * then every expected value of each key came, in order through a revision gate, and the last record
     * of each key (the one compaction keeps) is its newest.
     */
    private Records awaitRecords(OutboxRelay r, String outbox, int deadLetters, Map<String, List<String>> expected)
            throws SQLException {
        await().atMost(Duration.ofSeconds(90)).until(() -> rowsLeft(outbox) == 0 && r.deadLettered() == deadLetters);
        Map<TopicPartition, Long> end = reader.endOffsets(reader.assignment());
        Records seen = new Records();
        await().atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
            for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                if (record.key() != null && record.key().startsWith(run)) {
                    seen.add(record, topic);
                }
            }
            return end.entrySet().stream().allMatch(e -> reader.position(e.getKey()) >= e.getValue());
        });
        assertThat(seen.deadLetters).hasSize(deadLetters);
        assertThat(seen.onTopic).containsOnlyKeys(expected.keySet());
        expected.forEach((key, values) -> {
            assertThat(seen.gated(key, values)).as("%s through a revision gate", key).containsExactlyElementsOf(values);
            assertThat(seen.last(key)).as("the last record of %s", key).isEqualTo(values.get(values.size() - 1));
        });
        return seen;
    }

    private static long rowsLeft(String outbox) throws SQLException {
        try (Connection c = CLUSTER.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + outbox
                        + ".outbox WHERE sent_at IS NULL AND dead_lettered_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
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
