package io.netplane.ipam;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.events.Command;
import io.netplane.events.EndpointStatus;
import io.netplane.events.kafka.EventRecords;
import io.netplane.events.model.EndpointState;
import io.netplane.events.model.NetworkSpec;
import io.netplane.events.model.Operation;
import io.netplane.ipam.support.CommandTopic;
import io.netplane.ipam.support.Db;
import io.netplane.localcluster.LocalCluster;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands and agent reports arriving over the real Kafka broker. */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class KafkaCommandTest {

    @BeforeEach
    void reset() {
        Db.reset();
    }

    static Command createNetwork(String requestId, String name) {
        return new Command(requestId, 1, Instant.now(), Command.SCHEMA_VERSION, Operation.CREATE_NETWORK,
                new NetworkSpec(name, "bridge", List.of(), false, false, false, Map.of(), Map.of()), null, null,
                null, null);
    }

    @Test
    void eachCommandGetsExactlyOneResultAndAReplayIsNotApplied() throws Exception {
        String r1 = UUID.randomUUID().toString();
        CommandTopic.send(createNetwork(r1, "from-ci"));
        await().atMost(Duration.ofSeconds(60)).until(() -> CommandTopic.resultsFor(r1).size() == 1);
        assertThat(CommandTopic.resultsFor(r1).get(0)).contains("\"status\": \"OK\"").contains("\"name\": \"from-ci\"");

        String refused = UUID.randomUUID().toString();
        CommandTopic.send(createNetwork(r1, "from-ci"));
        CommandTopic.send(createNetwork(refused, "from-ci"));
        await().atMost(Duration.ofSeconds(60)).until(() -> CommandTopic.resultsFor(refused).size() == 1);
        assertThat(CommandTopic.resultsFor(refused).get(0)).contains("\"status\": \"ERROR\"").contains("\"code\": 409")
                .contains("network with name from-ci already exists");
        assertThat(CommandTopic.resultsFor(r1)).hasSize(1);
        assertThat(Db.count("SELECT count(*) FROM ipam.network WHERE name = 'from-ci'")).isEqualTo(1);
        // r1 and refused are keyed apart, so on different partitions: read until both have come
        List<ConsumerRecord<String, byte[]>> published = readUntil("command-results", java.util.Set.of(r1, refused));
        assertThat(published.stream().filter(r -> r1.equals(r.key())).count()).isEqualTo(1);
        assertThat(EventRecords.decode(published.stream().filter(r -> r1.equals(r.key())).findFirst().orElseThrow()))
                .isInstanceOf(io.netplane.events.CommandResult.class);
        assertThat(Db.outbox().stream().filter(r -> r[0].endsWith("NetworkCreated")).count()).isEqualTo(1);
    }

    /** Everything on {@code topic} from the beginning until a record of each of {@code keys} has been read. */
    static List<ConsumerRecord<String, byte[]>> readUntil(String topic, java.util.Set<String> keys) {
        Properties p = new Properties();
        p.put("bootstrap.servers", LocalCluster.shared().kafkaBootstrap());
        p.put("group.id", "reader-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, byte[]>> seen = new java.util.ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                c.poll(Duration.ofMillis(500)).forEach(seen::add);
                return seen.stream().map(ConsumerRecord::key).collect(java.util.stream.Collectors.toSet())
                        .containsAll(keys);
            });
        }
        return seen;
    }

    @Test
    void aMalformedCommandGoesToTheDeadLetterTopicWithTheReason() throws Exception {
        String key = "broken-" + UUID.randomUUID();
        ProducerRecord<String, byte[]> bad = new ProducerRecord<>("commands", 0, key,
                "{not json".getBytes(StandardCharsets.UTF_8));
        bad.headers().add("ce_type", "io.netplane.Command".getBytes(StandardCharsets.UTF_8));
        bad.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        CommandTopic.sendRaw(bad);
        Properties p = new Properties();
        p.put("bootstrap.servers", LocalCluster.shared().kafkaBootstrap());
        p.put("group.id", "dlq-reader-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of("dead-letter"));
            ConsumerRecord<String, byte[]>[] found = new ConsumerRecord[1];
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        found[0] = r;
                    }
                }
                return found[0] != null;
            });
            assertThat(EventRecords.header(found[0].headers(), EventRecords.DLQ_REASON)).isNotBlank();
            assertThat(EventRecords.header(found[0].headers(), EventRecords.DLQ_TOPIC)).isEqualTo("commands");
        }
        // the consumer goes on: a good command after the bad one is applied
        String next = UUID.randomUUID().toString();
        CommandTopic.send(createNetwork(next, "after-bad"));
        await().atMost(Duration.ofSeconds(60)).until(() -> CommandTopic.resultsFor(next).size() == 1);
    }

    @Test
    void waitReturnsOnceTheAgentHasAppliedTheEndpointOrWithItsError() throws Exception {
        JsonPath k = given().contentType(ContentType.JSON).body(Map.of("name", "web1", "hostId", "h1"))
                .post("/v1/containers").then().statusCode(201).extract().jsonPath();
        String endpoint = k.getString("endpoints[0].id");
        long revision = k.getLong("endpoints[0].revision");
        assertThat(k.getBoolean("endpoints[0].applied")).isFalse();
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(
                () -> given().get("/v1/endpoints/" + endpoint + "?wait=true&timeout=60"));
        CommandTopic.send(new EndpointStatus(endpoint, 1, Instant.now(), EndpointStatus.SCHEMA_VERSION, "h1", revision,
                EndpointState.APPLIED, null));
        Response answer = waiting.get();
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.jsonPath().getBoolean("applied")).isTrue();

        String other = given().contentType(ContentType.JSON).body(Map.of("name", "web2", "hostId", "h1"))
                .post("/v1/containers").then().statusCode(201).extract().path("endpoints[0].id");
        CommandTopic.send(new EndpointStatus(other, 1, Instant.now(), EndpointStatus.SCHEMA_VERSION, "h1", 1,
                EndpointState.FAILED, "bridge netplane0: operation not permitted"));
        Response failed = given().get("/v1/endpoints/" + other + "?wait=true&timeout=60");
        assertThat(failed.statusCode()).isEqualTo(409);
        assertThat(failed.jsonPath().getString("message")).contains("operation not permitted");
    }
}
