package io.netplane.ipam;

import static io.netplane.ipam.ContainerApiTest.network;
import static io.netplane.ipam.ContainerApiTest.on;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.ipam.support.Db;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ?wait=true&timeout=}: the timeout is refused outside 0..60 s and bounds the whole wait;
 * a wait that runs out answers 202 with the container it created. No agent runs in these tests,
 * so every wait runs out.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class ContainerWaitTest {

    @BeforeEach
    void reset() {
        Db.reset();
    }

    private static Response create(String query, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/containers" + query);
    }

    @Test
    void aTimeoutOutsideZeroToSixtySecondsIsRefusedAndCreatesNothing() {
        for (String timeout : List.of("61", "-1", "abc", "1.5", "99999999999")) {
            Response refused = create("?wait=true&timeout=" + timeout, Map.of("name", "web", "hostId", "h1"));
            assertThat(refused.statusCode()).as(timeout).isEqualTo(400);
            assertThat(refused.jsonPath().getString("message"))
                    .isEqualTo("invalid timeout \"" + timeout + "\": must be a whole number of seconds from 0 to 60");
        }
        assertThat(Db.count("SELECT count(*) FROM ipam.container")).isZero();
        assertThat(Db.outbox()).isEmpty();
    }

    @Test
    void anEndpointWaitRefusesTheSameTimeouts() {
        String endpoint = create("", Map.of("name", "web", "hostId", "h1")).then().statusCode(201)
                .extract().path("endpoints[0].id");
        given().get("/v1/endpoints/" + endpoint + "?wait=true&timeout=3600").then().statusCode(400);
        JsonPath asItIs = given().get("/v1/endpoints/" + endpoint + "?wait=true&timeout=0").then().statusCode(200)
                .extract().jsonPath();
        assertThat(asItIs.getBoolean("applied")).isFalse();
    }

    @Test
    void aWaitThatRunsOutAnswers202WithTheContainerItCreated() {
        Response accepted = create("?wait=true&timeout=0", Map.of("name", "web", "hostId", "h1"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        JsonPath body = accepted.jsonPath();
        assertThat(body.getString("name")).isEqualTo("web");
        assertThat(body.getBoolean("endpoints[0].applied")).isFalse();
        assertThat(body.getList("warnings", String.class)).anySatisfy(w -> assertThat(w)
                .startsWith("container web is created but its host h1 has not applied it yet"));
        given().get("/v1/containers/web").then().statusCode(200);
        // a client that retries learns the container exists, the way Docker says it
        assertThat(create("", Map.of("name", "web", "hostId", "h1")).statusCode()).isEqualTo(409);
    }

    @Test
    void oneShortTimeoutBoundsTheWaitForAllOfAContainersNetworks() {
        for (String n : List.of("front", "back", "db")) {
            network(Map.of("name", n));
        }
        Response accepted = create("?wait=true&timeout=1", Map.of("name", "app", "hostId", "h1",
                "networks", List.of(on("front"), on("back"), on("db"))));
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.jsonPath().getList("endpoints.networkName")).containsExactly("front", "back", "db");
        assertThat(accepted.jsonPath().getList("endpoints.applied")).containsOnly(false);
    }
}
