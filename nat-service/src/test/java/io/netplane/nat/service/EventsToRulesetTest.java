package io.netplane.nat.service;

import static io.netplane.nat.service.Events.bridge;
import static io.netplane.nat.service.Events.endpoint;
import static io.netplane.nat.service.Events.released;
import static io.netplane.nat.service.Events.tcp;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.events.NatRuleset;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.Topic;
import io.netplane.events.kafka.EventRecords;
import io.netplane.localcluster.LocalCluster;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * nat-service against the real Kafka broker and PostgreSQL of local-cluster: network and endpoint
 * events in on their topics, NatRuleset out on nat-rules keyed by host, ops endpoints in between.
 * Every test uses ids of its own, so the tests share one app and one cluster.
 */
@QuarkusTest
@QuarkusTestResource(LocalClusterResource.class)
class EventsToRulesetTest {

    private static KafkaProducer<String, byte[]> producer;
    private static final Map<String, List<NatRuleset>> published = new ConcurrentHashMap<>();
    private static final List<ConsumerRecord<String, byte[]>> deadLetters = new CopyOnWriteArrayList<>();
    private static Thread reader;
    private static volatile boolean reading = true;

    @BeforeAll
    static void connect() {
        String bootstrap = LocalCluster.shared().kafkaBootstrap();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "nat-test-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        reader = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> consumer =
                    new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(Topic.NAT_RULES.topicName(), Topic.DEAD_LETTER.topicName()));
                while (reading) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.topic().equals(Topic.DEAD_LETTER.topicName())) {
                            deadLetters.add(r);
                        } else {
                            NatRuleset rs = (NatRuleset) EventRecords.decode(r);
                            published.computeIfAbsent(r.key(), h -> new CopyOnWriteArrayList<>()).add(rs);
                        }
                    }
                }
            }
        }, "nat-rules-reader");
        reader.start();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        reading = false;
        reader.join();
        producer.close();
    }

    private static void send(NetplaneEvent... events) {
        for (NetplaneEvent e : events) {
            producer.send(EventRecords.toRecord(e, "/netplane/test"));
        }
        producer.flush();
    }

    private static List<NatRuleset> rulesets(String host) {
        return published.getOrDefault(host, List.of());
    }

    private static NatRuleset awaitRuleset(String host, String containing) {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> rulesets(host).stream().filter(r -> r.document().contains(containing)).findFirst().orElse(null),
                r -> r != null);
    }

    private static JsonPath bindings(String host) {
        return given().get("/v1/hosts/{h}/port-bindings", host).then().statusCode(200).extract().jsonPath();
    }

    private static long revision(String host) {
        return given().accept("application/json").get("/v1/hosts/{h}/ruleset", host).then().statusCode(200)
                .extract().jsonPath()
                .getLong("revision");
    }

    @Test
    void publishedPortBecomesTheHostsRulesetAndGoesWithTheEndpoint() {
        String net = "a1a1a1a1a1a1a1a1";
        send(bridge(net, 1, "172.18.0.0/16", false, true),
                endpoint("ep-web", 1, "h-one", net, "web", "172.18.0.2", List.of(tcp(8080, 80))));

        NatRuleset first = awaitRuleset("h-one", "--dport 8080 -j DNAT --to-destination 172.18.0.2:80");
        assertThat(first.jumps()).contains("nat PREROUTING -m addrtype --dst-type LOCAL -j NETPLANE");
        assertThat(first.chains()).contains("nat NETPLANE-TCP-8000");
        assertThat(bindings("h-one").getList("bindings.hostPort", Integer.class)).containsExactly(8080);
        assertThat(given().accept("text/plain").get("/v1/hosts/{h}/ruleset", "h-one").then().statusCode(200)
                .extract().asString()).contains("-A NETPLANE-TCP-8000 -p tcp -m tcp --dport 8080");
        assertThat(given().accept("application/json").get("/v1/hosts/{h}/ruleset", "h-one").then().statusCode(200)
                .extract().jsonPath().getList("chains", String.class)).isEqualTo(first.chains());

        send(released("ep-web", 2, "h-one", net, "web"));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> bindings("h-one").getList("bindings").isEmpty());
        NatRuleset last = await().atMost(Duration.ofSeconds(60)).until(
                () -> rulesets("h-one").get(rulesets("h-one").size() - 1), r -> !r.document().contains("DNAT"));
        assertThat(last.revision()).isGreaterThan(first.revision());
    }

    @Test
    void aTakenPortIsRefusedInDockersWordsAndTheRulesetStaysAsItWas() {
        String net = "b2b2b2b2b2b2b2b2";
        send(bridge(net, 1, "172.19.0.0/16", false, true),
                endpoint("ep-first", 1, "h-two", net, "first", "172.19.0.2", List.of(tcp(9090, 80))));
        awaitRuleset("h-two", "--dport 9090 -j DNAT --to-destination 172.19.0.2:80");
        long before = revision("h-two");

        send(endpoint("ep-second", 1, "h-two", net, "second", "172.19.0.3", List.of(tcp(9090, 80))));
        JsonPath view = await().atMost(Duration.ofSeconds(60)).until(() -> bindings("h-two"),
                b -> !b.getList("refused").isEmpty());
        assertThat(view.getString("refused[0].error")).isEqualTo("driver failed programming external connectivity"
                + " on endpoint second (ep-second): Bind for 0.0.0.0:9090 failed: port is already allocated");
        assertThat(view.getList("bindings.containerIp", String.class)).containsExactly("172.19.0.2");
        assertThat(revision("h-two")).isEqualTo(before);
        assertThat(given().accept("text/plain").get("/v1/hosts/{h}/ruleset", "h-two").asString())
                .doesNotContain("172.19.0.3");
    }

    @Test
    void aChangeOnOneHostRepublishesOnlyThatHost() {
        String net = "c3c3c3c3c3c3c3c3";
        send(bridge(net, 1, "172.20.0.0/16", false, true),
                endpoint("ep-x", 1, "h-x", net, "x", "172.20.0.2", List.of(tcp(null, 80))),
                endpoint("ep-y", 1, "h-y", net, "y", "172.20.0.2", List.of(tcp(null, 80))));
        // the dynamic range starts at 32768 on each host: ports are per host
        awaitRuleset("h-x", "--dport 32768 -j DNAT --to-destination 172.20.0.2:80");
        awaitRuleset("h-y", "--dport 32768 -j DNAT --to-destination 172.20.0.2:80");
        long yBefore = revision("h-y");
        int yPublished = rulesets("h-y").size();

        send(endpoint("ep-x2", 1, "h-x", net, "x2", "172.20.0.3", List.of(tcp(null, 81))));
        awaitRuleset("h-x", "--dport 32769 -j DNAT --to-destination 172.20.0.3:81");
        assertThat(revision("h-y")).isEqualTo(yBefore);
        assertThat(rulesets("h-y")).hasSize(yPublished);
    }

    @Test
    void aRedeliveredOldRevisionChangesNothing() {
        String net = "d4d4d4d4d4d4d4d4";
        send(bridge(net, 1, "172.21.0.0/16", false, true),
                endpoint("ep-d", 1, "h-d", net, "d", "172.21.0.2", List.of(tcp(7070, 70))));
        awaitRuleset("h-d", "--dport 7070");
        send(endpoint("ep-d", 2, "h-d", net, "d", "172.21.0.2", List.of(tcp(7071, 70))));
        awaitRuleset("h-d", "--dport 7071");
        long revision = revision("h-d");

        send(endpoint("ep-d", 1, "h-d", net, "d", "172.21.0.2", List.of(tcp(7070, 70))),
                released("ep-d", 2, "h-d", net, "d"),
                // same key, so read after the stale two: when it shows, they have been dealt with
                endpoint("ep-d", 3, "h-d", net, "d", "172.21.0.2", List.of(tcp(7072, 70))));
        awaitRuleset("h-d", "--dport 7072");
        assertThat(bindings("h-d").getList("bindings.hostPort", Integer.class)).containsExactly(7072);
        assertThat(revision("h-d")).isEqualTo(revision + 1);
    }

    @Test
    void aMalformedRecordGoesToTheDeadLetterTopicWithTheReason() {
        ProducerRecord<String, byte[]> valid = EventRecords.toRecord(
                endpoint("ep-bad", 1, "h-bad", "f6f6f6f6f6f6f6f6", "bad", "172.23.0.2", List.of()), "/netplane/test");
        ProducerRecord<String, byte[]> bad = new ProducerRecord<>(valid.topic(), null, valid.key(),
                "{not json".getBytes(StandardCharsets.UTF_8), valid.headers());
        producer.send(bad);
        producer.flush();
        ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(60)).until(
                () -> deadLetters.stream().filter(r -> "ep-bad".equals(r.key())).findFirst().orElse(null),
                r -> r != null);
        assertThat(EventRecords.header(dead.headers(), EventRecords.DLQ_REASON)).isNotBlank();
        assertThat(EventRecords.header(dead.headers(), EventRecords.DLQ_TOPIC)).isEqualTo("endpoints");

        // and the consumer goes on
        String net = "e5e5e5e5e5e5e5e5";
        send(bridge(net, 1, "172.22.0.0/16", false, true),
                endpoint("ep-after", 1, "h-e", net, "after", "172.22.0.2", List.of(tcp(6060, 60))));
        awaitRuleset("h-e", "--dport 6060");
    }

    @Test
    void aDatabaseFailureIsRetriedUntilItPassesNotDeadLettered() throws Exception {
        String net = "d8d8d8d8d8d8d8d8";
        double failedBefore = failedAttempts();
        // The endpoint table gone for a while: every write of an endpoint fails as in an outage.
        try (java.sql.Connection c = LocalCluster.shared().dataSource().getConnection();
                java.sql.Statement st = c.createStatement()) {
            st.execute("ALTER TABLE nat.endpoint RENAME TO endpoint_away");
            try {
                send(bridge(net, 1, "172.25.0.0/16", false, true),
                        endpoint("ep-outage", 1, "h-outage", net, "outage", "172.25.0.2", List.of(tcp(7070, 70))));
                await().atMost(Duration.ofSeconds(60)).until(() -> failedAttempts() > failedBefore);
            } finally {
                st.execute("ALTER TABLE nat.endpoint_away RENAME TO endpoint");
            }
        }
        awaitRuleset("h-outage", "--dport 7070 -j DNAT --to-destination 172.25.0.2:70");
        assertThat(deadLetters).noneMatch(r -> "ep-outage".equals(r.key()));
    }

    /** What operators see on /q/metrics: handler calls that failed and were retried. */
    private static double failedAttempts() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("netplane_nat_events_failed_attempts"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void unknownHostIsA404WithAReason() {
        given().accept("application/json").get("/v1/hosts/{h}/ruleset", "nowhere").then().statusCode(404)
                .body("message", org.hamcrest.Matchers.containsString("no ruleset for host nowhere"));
        assertThat(bindings("nowhere").getList("bindings")).isEmpty();
    }

    @Test
    void networkOptionsReachTheRulesetAndANetworkChangeRepublishesItsHosts() {
        String net = "a7a7a7a7a7a7a7a7";
        send(bridge(net, 1, "172.24.0.0/16", false, true),
                endpoint("ep-opt", 1, "h-opt", net, "opt", "172.24.0.2", List.of()));
        awaitRuleset("h-opt", "-A NETPLANE-FORWARD -i br-a7a7a7a7a7a7 -o br-a7a7a7a7a7a7 -j ACCEPT");

        send(bridge(net, 2, "172.24.0.0/16", true, false));
        NatRuleset internal = awaitRuleset("h-opt",
                "-A NETPLANE-FORWARD -i br-a7a7a7a7a7a7 -o br-a7a7a7a7a7a7 -j DROP");
        assertThat(internal.document())
                .contains("-A NETPLANE-INTERNAL ! -d 172.24.0.0/16 -i br-a7a7a7a7a7a7 -j DROP")
                .doesNotContain("-s 172.24.0.0/16 ! -o br-a7a7a7a7a7a7 -j MASQUERADE");
    }
}
