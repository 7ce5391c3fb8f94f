package io.netplane.nat.service;

import static io.netplane.nat.service.Events.bridge;
import static io.netplane.nat.service.Events.endpoint;
import static io.netplane.nat.service.Events.tcp;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.kafka.EventRecords;
import io.netplane.localcluster.LocalCluster;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The reservation ipam-service makes before committing a container: a taken port is refused in
 * Docker's words with nothing booked, a repeat is answered from what is booked, the endpoint's
 * event takes the booking over without booking twice, and an abandoned one is freed.
 */
@QuarkusTest
@QuarkusTestResource(LocalClusterResource.class)
class PortReservationTest {

    private static Map<String, Object> request(String network, String container, String ip, Object... ports) {
        return Map.of("networkId", network, "containerId", "c-" + container, "containerName", container,
                "containerIp", ip, "ports", List.of(ports), "exposedPorts", List.of(), "publishAllPorts", false);
    }

    private static Map<String, Object> port(int hostPort, int containerPort, String protocol) {
        return Map.of("hostPort", hostPort, "containerPort", containerPort, "protocol", protocol);
    }

    private static io.restassured.response.ValidatableResponse reserve(String host, String endpoint,
            Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body)
                .put("/v1/hosts/{h}/reservations/{e}", host, endpoint).then();
    }

    private static JsonPath bindings(String host) {
        return given().get("/v1/hosts/{h}/port-bindings", host).then().statusCode(200).extract().jsonPath();
    }

    private static void send(NetplaneEvent... events) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalCluster.shared().kafkaBootstrap());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (NetplaneEvent e : events) {
                producer.send(EventRecords.toRecord(e, "/netplane/test"));
            }
        }
    }

    @Test
    void aTakenPortIsRefusedAtReservationAndTheEventTakesTheBookingOver() {
        String net = "d4d4d4d4d4d4d4d4";
        reserve("h-res", "aa01", request(net, "web", "172.20.0.2", port(7070, 80, "tcp"))).statusCode(200)
                .body("bindings.hostPort", org.hamcrest.Matchers.contains(7070));
        // a retry of the same reservation is answered from what is booked
        reserve("h-res", "aa01", request(net, "web", "172.20.0.2", port(7070, 80, "tcp"))).statusCode(200)
                .body("bindings.hostPort", org.hamcrest.Matchers.contains(7070));
        String refused = reserve("h-res", "aa02", request(net, "other", "172.20.0.3", port(7070, 80, "tcp")))
                .statusCode(409).extract().path("message");
        assertThat(refused).isEqualTo("driver failed programming external connectivity on endpoint other (aa02): "
                + "Bind for 0.0.0.0:7070 failed: port is already allocated");
        assertThat(bindings("h-res").getList("bindings.endpointId", String.class)).containsExactly("aa01");
        // not committed yet: nothing of it reaches a ruleset
        given().get("/v1/hosts/{h}/ruleset", "h-res").then().statusCode(404);

        send(bridge(net, 1, "172.20.0.0/16", false, true),
                endpoint("aa01", 1, "h-res", net, "web", "172.20.0.2", List.of(tcp(7070, 80))));
        String rules = await().atMost(Duration.ofSeconds(60)).until(
                () -> given().accept("text/plain").get("/v1/hosts/{h}/ruleset", "h-res").asString(),
                doc -> doc.contains("--dport 7070 -j DNAT --to-destination 172.20.0.2:80"));
        assertThat(rules).contains("172.20.0.2:80");
        JsonPath after = bindings("h-res");
        assertThat(after.getList("bindings.hostPort", Integer.class)).containsExactly(7070);
        assertThat(after.getList("refused")).isEmpty();
        // once the event has it, a release for that endpoint leaves it alone
        given().delete("/v1/hosts/{h}/reservations/{e}", "h-res", "aa01").then().statusCode(204);
        assertThat(bindings("h-res").getList("bindings.endpointId", String.class)).containsExactly("aa01");
    }

    @Test
    void aReleasedOrAbandonedReservationFreesItsPorts() throws Exception {
        String net = "e5e5e5e5e5e5e5e5";
        reserve("h-rel", "bb01", request(net, "one", "172.21.0.2", port(7171, 80, "tcp"))).statusCode(200);
        given().delete("/v1/hosts/{h}/reservations/{e}", "h-rel", "bb01").then().statusCode(204);
        assertThat(bindings("h-rel").getList("bindings")).isEmpty();

        reserve("h-rel", "bb02", request(net, "two", "172.21.0.3", port(7171, 80, "tcp"))).statusCode(200);
        reserve("h-rel", "bb03", request(net, "three", "172.21.0.4", port(7171, 80, "tcp"))).statusCode(409);
        try (Connection c = LocalCluster.shared().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("update nat.endpoint set reserved_at = now() - interval"
                        + " '1 hour' where endpoint_id = 'bb02'")) {
            s.executeUpdate(); // as if ipam-service had rolled back and could not say so
        }
        reserve("h-rel", "bb03", request(net, "three", "172.21.0.4", port(7171, 80, "tcp"))).statusCode(200);
        assertThat(bindings("h-rel").getList("bindings.endpointId", String.class)).containsExactly("bb03");
    }

    @Test
    void aRequestThatCannotBeServedIsA400AndBooksNothing() {
        String net = "f6f6f6f6f6f6f6f6";
        assertThat(reserve("h-bad", "cc01", request(net, "web", "172.22.0.2", port(7272, 80, "xyz")))
                .statusCode(400).extract().<String>path("message")).endsWith("invalid proto: xyz");
        assertThat(reserve("h-bad", "CC-not-hex", request(net, "web", "172.22.0.2", port(7272, 80, "tcp")))
                .statusCode(400).extract().<String>path("message")).contains("endpoint id");
        assertThat(bindings("h-bad").getList("bindings")).isEmpty();
    }

    @Test
    void portsPublishedOnAnEndpointThatExistsAreBookedInPlaceAndItsNextEventTakesThemOver() {
        String net = "c9c9c9c9c9c9c9c9";
        // Docker's order: the endpoint exists (committed, no ports), then ProgramExternalConnectivity publishes
        send(bridge(net, 1, "172.23.0.0/16", false, true),
                endpoint("dd01", 1, "h-late", net, "web", "172.23.0.2", List.of()));
        await().atMost(Duration.ofSeconds(60)).until(
                () -> given().accept("text/plain").get("/v1/hosts/{h}/ruleset", "h-late").statusCode() == 200);
        reserve("h-late", "dd01", request(net, "web", "172.23.0.2", port(7373, 80, "tcp"))).statusCode(200)
                .body("bindings.hostPort", org.hamcrest.Matchers.contains(7373));
        assertThat(reserve("h-late", "dd02", request(net, "other", "172.23.0.3", port(7373, 80, "tcp")))
                .statusCode(409).extract().<String>path("message")).endsWith("port is already allocated");
        assertThat(reserve("h-elsewhere", "dd01", request(net, "web", "172.23.0.2", port(7374, 80, "tcp")))
                .statusCode(409).extract().<String>path("message")).contains("is on host h-late");

        send(endpoint("dd01", 2, "h-late", net, "web", "172.23.0.2", List.of(tcp(7373, 80))));
        await().atMost(Duration.ofSeconds(60)).until(
                () -> given().accept("text/plain").get("/v1/hosts/{h}/ruleset", "h-late").asString(),
                doc -> doc.contains("--dport 7373 -j DNAT --to-destination 172.23.0.2:80"));
        JsonPath after = bindings("h-late");
        assertThat(after.getList("bindings.hostPort", Integer.class)).containsExactly(7373);
        assertThat(after.getList("refused")).isEmpty();
    }
}
