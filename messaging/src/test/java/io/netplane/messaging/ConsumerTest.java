package io.netplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.events.EndpointStatus;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.NetworkCreated;
import io.netplane.events.Topic;
import io.netplane.events.codec.TraceParent;
import io.netplane.events.kafka.EventRecords;
import io.netplane.events.kafka.KafkaClientProperties;
import io.netplane.events.kafka.Topics;
import io.netplane.events.model.EndpointState;
import io.netplane.localcluster.LocalCluster;
import io.netplane.messaging.consume.EventConsumer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The consumer side: dead letters with a reason, revisions gated, the loop goes on. */
class ConsumerTest {

    private static final LocalCluster CLUSTER = LocalCluster.shared();

    @Test
    void malformedRecordsGoToTheDeadLetterTopicWithTheReasonAndTheConsumerGoesOn() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<NetplaneEvent> seen = new CopyOnWriteArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer();
                EventConsumer consumer = EventConsumer.builder()
                        .kafka(KafkaClientProperties.plaintext(CLUSTER.kafkaBootstrap()))
                        .topics(Topic.NETWORKS)
                        .name("dlq-test")
                        .handler((e, r) -> {
                            if (e.aggregateId().startsWith(run)) {
                                seen.add(e);
                            }
                        })
                        .build()
                        .start()) {
            NetworkCreated good = Demo.event(run + "-good", "good", 1);
            ProducerRecord<String, byte[]> garbage = EventRecords.toRecord(good, "/test");
            garbage = new ProducerRecord<>(garbage.topic(), null, run + "-garbage", "{not json".getBytes(), garbage.headers());
            ProducerRecord<String, byte[]> noHeaders = new ProducerRecord<>("networks", run + "-bare", "{}".getBytes());
            producer.send(garbage).get();
            producer.send(noHeaders).get();
            producer.send(EventRecords.toRecord(good, "/test")).get();
            producer.send(EventRecords.toRecord(Demo.event(run + "-good", "stale duplicate", 1), "/test")).get();
            producer.send(EventRecords.toRecord(Demo.event(run + "-good", "good-2", 2), "/test")).get();

            await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() >= 2 && consumer.deadLettered() >= 2);
            assertThat(seen).extracting(e -> ((NetworkCreated) e).name()).containsExactly("good", "good-2");
        }

        Map<String, String> reasons = deadLetterReasons(run);
        assertThat(reasons.get(run + "-garbage")).contains("NetworkCreated");
        assertThat(reasons.get(run + "-bare")).contains("ce_specversion");
    }

    @Test
    void onlyNewerRevisionsReachTheHandler() throws Exception {
        String id = UUID.randomUUID().toString();
        List<Long> revisions = new CopyOnWriteArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (long rev : new long[] {1, 3, 2, 3, 4}) {
                producer.send(EventRecords.toRecord(Demo.event(id, "n", rev), "/test")).get();
            }
        }
        try (EventConsumer consumer = EventConsumer.builder()
                .kafka(KafkaClientProperties.plaintext(CLUSTER.kafkaBootstrap()))
                .topics(Topic.NETWORKS)
                .name("gate-test")
                .handler((e, r) -> {
                    if (e.aggregateId().equals(id)) {
                        revisions.add(e.revision());
                    }
                })
                .build()
                .start()) {
            assertThat(consumer.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        }
        assertThat(revisions).containsExactly(1L, 3L, 4L);
    }

    @Test
    void theHandlerWorksAsAStepOfTheRecordsTraceAndOnlyOfIt() throws Exception {
        String id = UUID.randomUUID().toString();
        TraceParent trace = TraceParent.root();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(EventRecords.traced(EventRecords.toRecord(Demo.event(id, "n", 1), "/test"), trace)).get();
            producer.send(EventRecords.toRecord(Demo.event(id, "n", 2), "/test")).get();
        }
        List<String> seen = new CopyOnWriteArrayList<>();
        try (EventConsumer consumer = EventConsumer.builder()
                .kafka(KafkaClientProperties.plaintext(CLUSTER.kafkaBootstrap()))
                .topics(Topic.NETWORKS)
                .name("trace-test")
                .handler((e, r) -> {
                    if (e.aggregateId().equals(id)) {
                        TraceParent current = TraceParent.current();
                        seen.add(current == null ? "none" : current.traceId() + (current.equals(trace) ? " same span" : ""));
                    }
                })
                .build()
                .start()) {
            assertThat(consumer.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        }
        assertThat(seen).as("a new span of the record's trace; nothing left over for the next record")
                .containsExactly(trace.traceId(), "none");
    }

    @Test
    void revisionsAreKeptPerTopicWhenTwoTopicsShareAnAggregateId() throws Exception {
        String host = "host-" + UUID.randomUUID();
        List<String> seen = new CopyOnWriteArrayList<>();
        java.time.Instant now = java.time.Instant.now();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(EventRecords.toRecord(new io.netplane.events.NatRuleset(host, 9, now, 1, "*nat\nCOMMIT\n",
                    List.of(), List.of()), "/test")).get();
            producer.send(EventRecords.toRecord(new io.netplane.events.OverlayNetworkMesh(host, 2, now, 1, false, "n",
                    4096, null, null, 1450, null, null, List.of()), "/test")).get();
        }
        try (EventConsumer consumer = EventConsumer.builder()
                .kafka(KafkaClientProperties.plaintext(CLUSTER.kafkaBootstrap()))
                .topics(Topic.NAT_RULES, Topic.OVERLAY_MESH)
                .name("per-topic-gate")
                .handler((e, r) -> {
                    if (e.aggregateId().equals(host)) {
                        seen.add(r.topic() + "@" + e.revision());
                    }
                })
                .build()
                .start()) {
            assertThat(consumer.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        }
        assertThat(seen).containsExactlyInAnyOrder("nat-rules@9", "overlay-mesh@2");
    }

    @Test
    void aHandlerFailureIsRetriedButAnErrorEndsTheThreadAndSaysWhy() throws Exception {
        String id = UUID.randomUUID().toString();
        List<Long> attempts = new CopyOnWriteArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(EventRecords.toRecord(Demo.event(id, "n", 1), "/test")).get();
            producer.send(EventRecords.toRecord(Demo.event(id, "n", 2), "/test")).get();
        }
        try (EventConsumer consumer = EventConsumer.builder()
                .kafka(KafkaClientProperties.plaintext(CLUSTER.kafkaBootstrap()))
                .topics(Topic.NETWORKS)
                .name("error-test")
                .handler((e, r) -> {
                    if (!e.aggregateId().equals(id)) {
                        return;
                    }
                    attempts.add(e.revision());
                    if (e.revision() == 1 && attempts.size() < 3) {
                        throw new IllegalStateException("the database is down");
                    }
                    if (e.revision() == 2) {
                        throw new StackOverflowError("injected");
                    }
                })
                .build()
                .start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !consumer.alive());
            assertThat(attempts).as("revision 1 retried until it applied, then revision 2 once")
                    .containsExactly(1L, 1L, 1L, 2L);
            assertThat(consumer.failedAttempts()).isEqualTo(2);
            assertThat(consumer.death()).hasValueSatisfying(t -> assertThat(t).isInstanceOf(StackOverflowError.class));
        }
    }

    @Test
    void aConsumerStartedBeforeItsTopicExistsWaitsForItAndThenReadsIt() throws Exception {
        String topic = Topic.AGENT_STATUS.topicName(); // no other test here reads or writes it
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, CLUSTER.kafkaBootstrap()))) {
            admin.deleteTopics(List.of(topic)).all().get();
            await().atMost(Duration.ofSeconds(60)).until(() -> !admin.listTopics().names().get().contains(topic));
        }
        String endpoint = UUID.randomUUID().toString();
        List<NetplaneEvent> seen = new CopyOnWriteArrayList<>();
        try (EventConsumer consumer = EventConsumer.builder()
                .kafka(KafkaClientProperties.plaintext(CLUSTER.kafkaBootstrap()))
                .topics(Topic.AGENT_STATUS)
                .name("missing-topic")
                .handler((e, r) -> seen.add(e))
                .build()
                .start()) {
            Topics.ensure(CLUSTER.kafkaBootstrap(), (short) 1);
            try (KafkaProducer<String, byte[]> producer = producer()) {
                producer.send(EventRecords.toRecord(new EndpointStatus(endpoint, 1, java.time.Instant.now(),
                        EndpointStatus.SCHEMA_VERSION, "h1", 1, EndpointState.APPLIED, null), "/test")).get();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> !seen.isEmpty());
            assertThat(seen).extracting(NetplaneEvent::aggregateId).containsExactly(endpoint);
            assertThat(consumer.alive()).isTrue();
        }
    }

    private static Map<String, String> deadLetterReasons(String run) {
        Properties c = new Properties();
        c.put("bootstrap.servers", CLUSTER.kafkaBootstrap());
        c.put("group.id", "dlq-reader-" + run);
        c.put("auto.offset.reset", "earliest");
        Map<String, String> reasons = new java.util.HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topic.DEAD_LETTER.topicName()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (reasons.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.key().startsWith(run)) {
                        reasons.put(r.key(), new String(r.headers().lastHeader(EventRecords.DLQ_REASON).value(),
                                StandardCharsets.UTF_8));
                        assertThat(EventRecords.header(r.headers(), EventRecords.DLQ_TOPIC)).isEqualTo("networks");
                    }
                }
            }
        }
        return reasons;
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", CLUSTER.kafkaBootstrap());
        p.put("acks", "all");
        p.put("linger.ms", "0");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

}
