package io.netplane.nat.service;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.kafka.EventRecords;
import io.netplane.localcluster.LocalCluster;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.netplane.nat.apply.EventApplier;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A consumer thread that dies (here an Error out of the handler, as an OutOfMemoryError would)
 * never reads again: liveness must say DOWN so that the orchestrator restarts the service. Its own
 * app (a test profile), because the consumer stays dead.
 */
@QuarkusTest
@TestProfile(ConsumerLivenessTest.OwnApp.class)
@QuarkusTestResource(LocalClusterResource.class)
class ConsumerLivenessTest {

    public static final class OwnApp implements QuarkusTestProfile {
    }

    static final class Fatal extends Error {
        Fatal() {
            super("injected: the handler cannot go on");
        }
    }

    @Test
    void aConsumerThreadThatDiesMakesLivenessDown() throws Exception {
        given().get("/q/health/live").then().statusCode(200);
        QuarkusMock.installMockForType(new EventApplier() {
            @Override
            public void apply(NetplaneEvent event) {
                throw new Fatal();
            }
        }, EventApplier.class);

        String id = UUID.randomUUID().toString().replace("-", "");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalCluster.shared().kafkaBootstrap()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(EventRecords.toRecord(Events.bridge(id, 1, "10.91.0.0/24", false, true), "/test")).get();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/live").then()
                .statusCode(503)
                .body("checks.find { it.name == 'event-consumers' }.status", is("DOWN"))
                .body("checks.find { it.name == 'event-consumers' }.data.'nat-consumer'",
                        containsString("the handler cannot go on")));
    }
}
