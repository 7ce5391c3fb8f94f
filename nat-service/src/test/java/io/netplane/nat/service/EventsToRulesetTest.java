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
        return given().get("/v1/hosts/{h}/ruleset", host).then().statusCode(200).extract().jsonPath()
                .getLong("revision");
    }

    @Test
    void publishedPortBecomesTheHostsRulesetAndGoesWithTheEndpoint() {
        String net = "a1a1a1a1a1a1a1a1";
        send(bridge(net, 1, "172.18.0.0/16", false, true),
                endpoint("ep-web", 1, "h-one", net, "web", "172.18.0.2", List.of(tcp(8080, 80))));

        NatRuleset first = awaitRuleset("h-one", "--dport 8080 -j DNAT --to-destination 172.18.0.2:80");
        assertThat(first.jumps()).contains("nat PREROUTING -m addrtype --dst-type LOCAL -j NETPLANE");
        assertThat(bindings("h-one").getList("bindings.hostPort", Integer.class)).containsExactly(8080);
        assertThat(given().accept("text/plain").get("/v1/hosts/{h}/ruleset", "h-one").then().statusCode(200)
                .extract().asString()).contains("-A NETPLANE -p tcp -m tcp --dport 8080");

        send(released("ep-web", 2, "h-one", net, "web"));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> bindings("h-one").getList("bindings").isEmpty());
        NatRuleset last = await().atMost(Duration.ofSeconds(60)).until(
                () -> rulesets("h-one").get(rulesets("h-one").size() - 1), r -> !r.document().contains("DNAT"));
        assertThat(last.revision()).isGreaterThan(first.revision());
    }
}
