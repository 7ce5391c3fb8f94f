package io.netplane.ipam;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netplane.events.Command;

import io.netplane.events.model.ContainerSpec;
import io.netplane.events.model.Operation;
import io.netplane.events.model.PortSpec;
import io.netplane.ipam.support.CommandTopic;
import io.netplane.ipam.support.Db;
import io.netplane.localcluster.Ports;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * ipam-service books published ports with nat-service before committing a container. nat's side
 * of the contract (PUT/DELETE /v1/hosts/{host}/reservations/{endpoint}) is tested against the real
 * nat-service in its PortReservationTest; here a stand-in answers as it does (409 in Docker's
 * words for a taken port), and is stopped to show what a user sees when nat-service is down.
 */
@QuarkusTest
@TestProfile(PortReservationBeforeCommitTest.WithNat.class)
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class PortReservationBeforeCommitTest {

    static final String TAKEN = "Bind for 0.0.0.0:8080 failed: port is already allocated";

    public static class WithNat implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("netplane.ipam.nat-url", "http://127.0.0.1:" + Ports.free());
        }
    }

    /** The requests the stand-in saw: "PUT path body" or "DELETE path". */
    static final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer nat;

    /** Where the profile told ipam-service nat-service is: the stand-in listens there. */
    @ConfigProperty(name = "netplane.ipam.nat-url")
    String natUrl;

    @BeforeEach
    void start() throws IOException {
        Db.reset();
        seen.clear();
        nat = HttpServer.create(new InetSocketAddress("127.0.0.1", URI.create(natUrl).getPort()), 0);
        nat.createContext("/v1/hosts/", PortReservationBeforeCommitTest::answer);
        nat.start();
    }

    @AfterEach
    void stop() {
        nat.stop(0);
    }

    /** As nat-service answers: port 8080 is taken on every host, anything else is booked. */
    private static void answer(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = x.getRequestURI().getPath();
        seen.add(x.getRequestMethod() + " " + path + " " + body);
        int status;
        String reply;
        if ("DELETE".equals(x.getRequestMethod())) {
            status = 204;
            reply = null;
        } else if (body.contains("\"hostPort\":8080")) {
            String endpoint = path.substring(path.lastIndexOf('/') + 1);
            status = 409;
            reply = "{\"message\":\"driver failed programming external connectivity on endpoint web (" + endpoint
                    + "): " + TAKEN + "\"}";
        } else {
            status = 200;
            reply = "{\"bindings\":[]}";
        }
        if (reply == null) {
            x.sendResponseHeaders(status, -1);
        } else {
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(status, bytes.length);
            x.getResponseBody().write(bytes);
        }
        x.close();
    }

    private static Map<String, Object> web(int hostPort) {
        return Map.of("name", "web", "hostId", "h1", "ports", List.of(Map.of("containerPort", 80, "hostPort",
                hostPort)));
    }

    private static void nothingLeft() {
        assertThat(Db.count("SELECT count(*) FROM ipam.container")).isZero();
        assertThat(Db.count("SELECT count(*) FROM ipam.endpoint")).isZero();
        assertThat(Db.count("SELECT count(*) FROM ipam.outbox")).isZero();
    }

    @Test
    void aTakenPortFailsTheContainerRequestInDockersWordsAndNothingIsMade() {
        for (String path : List.of("/v1/containers", "/v1/containers?wait=true")) {
            String message = given().contentType(ContentType.JSON).body(web(8080)).post(path).then()
                    .statusCode(409).extract().path("message");
            assertThat(message).startsWith("driver failed programming external connectivity on endpoint web (")
                    .endsWith(TAKEN);
            nothingLeft();
        }
        // the refused request's address was not used up either
        JsonPath made = given().contentType(ContentType.JSON).body(web(8081)).post("/v1/containers").then()
                .statusCode(201).extract().jsonPath();
        assertThat(made.getString("endpoints[0].ipv4Address")).isEqualTo("172.17.0.2/16");
        assertThat(seen).last().asString().startsWith("PUT /v1/hosts/h1/reservations/" + made.getString("endpoints[0].id"))
                .contains("\"containerIp\":\"172.17.0.2\"").contains("\"hostPort\":8081");
    }

    @Test
    void aTakenPortFailsTheCommandToo() throws Exception {
        String request = UUID.randomUUID().toString();
        CommandTopic.send(new Command(request, 1, Instant.now(), Command.SCHEMA_VERSION, Operation.CREATE_CONTAINER,
                null, new ContainerSpec("web", null, "h1", null, List.of(),
                        List.of(new PortSpec(null, 8080, null, 80, null, "tcp")), List.of(), false),
                null, null, null));
        await().atMost(Duration.ofSeconds(60)).until(() -> CommandTopic.resultsFor(request).size() == 1);
        assertThat(CommandTopic.resultsFor(request).get(0)).contains("\"status\": \"ERROR\"").contains("409")
                .contains(TAKEN);
        assertThat(Db.count("SELECT count(*) FROM ipam.container")).isZero();
        assertThat(Db.count("SELECT count(*) FROM ipam.endpoint")).isZero();
    }

    @Test
    void withoutPublishedPortsOrOnTheHostNetworkNatIsNotAsked() {
        given().contentType(ContentType.JSON).body(Map.of("name", "plain", "hostId", "h1")).post("/v1/containers")
                .then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("name", "hosted", "hostId", "h1", "networks",
                List.of(Map.of("network", "host")), "ports", List.of(Map.of("containerPort", 80, "hostPort", 8080))))
                .post("/v1/containers").then().statusCode(201);
        assertThat(seen).isEmpty();
    }

    @Test
    void whenNatServiceIsDownTheRequestIsA503AndNothingIsMade() {
        nat.stop(0);
        String message = given().contentType(ContentType.JSON).body(web(8081)).post("/v1/containers").then()
                .statusCode(503).extract().path("message");
        assertThat(message).startsWith("nat-service at " + natUrl + " could not be reached")
                .endsWith("the container was not created; try again once nat-service is up");
        nothingLeft();
    }
}
