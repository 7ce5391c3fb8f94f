package io.netplane.ipam;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.ipam.support.Db;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What netplane's Docker plugin asks of ipam-service for a real dockerd: a network made before
 * Docker names it and completed after, addresses held for endpoints before Docker says whose,
 * then handed to Docker's container with Docker's names, and ports published through them.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class RuntimeEndpointApiTest {

    private static final String DOCKER_ID = "4d1c0ffee0a5b6c7d8e9f00112233445566778899aabbccddeeff00112233445";

    @BeforeEach
    void reset() {
        Db.reset();
    }

    private static JsonPath post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(path).then().statusCode(201).extract().jsonPath();
    }

    private static JsonPath patchNetwork(String ref, Map<String, Object> body, int status) {
        return given().contentType(ContentType.JSON).body(body).patch("/v1/networks/" + ref).then().statusCode(status)
                .extract().jsonPath();
    }

    private static JsonPath adopt(String endpoint, Map<String, Object> body, int status) {
        return given().contentType(ContentType.JSON).body(body).put("/v1/endpoints/" + endpoint + "/container").then()
                .statusCode(status).extract().jsonPath();
    }

    /** The endpoint a plugin's RequestAddress makes: a placeholder container whose sandbox Docker owns. */
    private static JsonPath held(String placeholder, String network) {
        return post("/v1/containers", Map.of("name", placeholder, "hostId", "h1", "sandbox", "docker",
                "networks", List.of(Map.of("network", network))));
    }

    @Test
    void aNetworkMadeBeforeDockerNamesItIsCompletedThenRenamed() {
        JsonPath made = post("/v1/networks", Map.of("name", "docker-0a1b2c3d4e5f", "driver", "overlay",
                "ipam", List.of(Map.of("subnet", "10.77.0.0/24"))));
        String id = made.getString("id");
        JsonPath completed = patchNetwork(id, Map.of("driver", "bridge", "internal", true, "gateway", "10.77.0.254",
                "auxAddresses", Map.of("router", "10.77.0.9")), 200);
        assertThat(completed.getString("driver")).isEqualTo("bridge");
        assertThat(completed.getString("scope")).isEqualTo("local");
        assertThat(completed.getBoolean("internal")).isTrue();
        assertThat(completed.getString("ipam[0].gateway")).isEqualTo("10.77.0.254");
        assertThat(completed.getMap("ipam[0].auxAddresses")).containsEntry("router", "10.77.0.9");

        JsonPath first = held("docker-ep-000000000001", id);
        // the gateway and the auxiliary address are reserved: the first container gets .1 as Docker gives it
        assertThat(first.getString("endpoints[0].ipv4Address")).isEqualTo("10.77.0.1/24");
        assertThat(patchNetwork(id, Map.of("internal", false), 409).getString("message"))
                .isEqualTo("network docker-0a1b2c3d4e5f has active endpoints: only its name can change now");
        assertThat(patchNetwork(id, Map.of("name", "demo"), 200).getString("name")).isEqualTo("demo");
        assertThat(given().get("/v1/networks/demo").then().statusCode(200).extract().jsonPath()
                .getString("network.id")).isEqualTo(id);
        assertThat(Db.outbox().stream().filter(r -> r[0].endsWith("NetworkCreated")).count()).isEqualTo(3);
    }

    @Test
    void aBadPatchSaysWhatIsWrongAndChangesNothing() {
        String id = post("/v1/networks", Map.of("name", "docker-0a1b2c3d4e5f",
                "ipam", List.of(Map.of("subnet", "10.78.0.0/24")))).getString("id");
        assertThat(patchNetwork(id, Map.of("gateway", "10.99.0.1"), 400).getString("message"))
                .isEqualTo("invalid network config:\ninvalid gateway 10.99.0.1: parent subnet 10.78.0.0/24 doesn't contain this address");
        assertThat(patchNetwork(id, Map.of("name", "bad name!"), 400).getString("message")).isEqualTo("bad name! includes invalid characters, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed");
        assertThat(patchNetwork("bridge", Map.of("name", "mine"), 403).getString("message"))
                .isEqualTo("bridge is a pre-defined network and cannot be changed");
        JsonPath now = given().get("/v1/networks/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(now.getString("network.name")).isEqualTo("docker-0a1b2c3d4e5f");
        assertThat(now.getString("network.ipam[0].gateway")).isEqualTo("10.78.0.1");
    }

    @Test
    void dockersContainerTakesTheEndpointsWithItsNamesAndThePlaceholdersGo() {
        String web = post("/v1/networks", Map.of("name", "web", "ipam", List.of(Map.of("subnet", "10.79.0.0/24"))))
                .getString("id");
        String back = post("/v1/networks", Map.of("name", "back", "ipam", List.of(Map.of("subnet", "10.80.0.0/24"))))
                .getString("id");
        JsonPath a = held("docker-ep-00000000000a", web);
        JsonPath b = held("docker-ep-00000000000b", back);
        String ea = a.getString("endpoints[0].id");
        String eb = b.getString("endpoints[0].id");

        Map<String, Object> owner = Map.of("id", DOCKER_ID, "name", "c1", "hostname", "box", "aliases", List.of("api"));
        JsonPath moved = adopt(ea, owner, 200);
        assertThat(moved.getString("containerId")).isEqualTo(DOCKER_ID);
        assertThat(moved.getString("containerName")).isEqualTo("c1");
        assertThat(moved.getList("dnsNames")).containsExactly("c1", "api", DOCKER_ID.substring(0, 12), "box");
        assertThat(moved.getString("ipv4Address")).isEqualTo(a.getString("endpoints[0].ipv4Address"));
        long revision = moved.getLong("revision");
        assertThat(adopt(ea, owner, 200).getLong("revision")).as("the same call again changes nothing")
                .isEqualTo(revision);
        adopt(eb, Map.of("id", DOCKER_ID, "name", "c1", "hostname", "box"), 200);

        JsonPath c1 = given().get("/v1/containers/c1?host=h1").then().statusCode(200).extract().jsonPath();
        assertThat(c1.getString("id")).isEqualTo(DOCKER_ID);
        assertThat(c1.getString("sandbox")).isEqualTo("docker");
        assertThat(c1.getList("endpoints.interfaceName")).containsExactlyInAnyOrder("eth0", "eth1");
        given().get("/v1/containers/docker-ep-00000000000a?host=h1").then().statusCode(404);
        given().get("/v1/containers/docker-ep-00000000000b?host=h1").then().statusCode(404);
        List<String> types = Db.outbox().stream().map(r -> r[0].substring(r[0].lastIndexOf('.') + 1)).toList();
        assertThat(types).containsSubsequence("ContainerCreated", "EndpointAllocated", "ContainerRemoved");
    }

    @Test
    void anAdoptionThatCannotBeRightIsRefused() {
        String web = post("/v1/networks", Map.of("name", "web", "ipam", List.of(Map.of("subnet", "10.81.0.0/24"))))
                .getString("id");
        String ea = held("docker-ep-00000000000c", web).getString("endpoints[0].id");
        assertThat(adopt(ea, Map.of("id", "not-an-id", "name", "c1"), 400).getString("message"))
                .isEqualTo("invalid container id not-an-id: a container engine's id is 64 lowercase hex digits");
        assertThat(adopt(ea, Map.of("id", DOCKER_ID, "name", "/c1"), 400).getString("message"))
                .startsWith("Invalid container name");
        adopt("f".repeat(64), Map.of("id", DOCKER_ID, "name", "c1"), 404);
        String own = post("/v1/containers", Map.of("name", "mine", "hostId", "h1",
                "networks", List.of(Map.of("network", web)))).getString("endpoints[0].id");
        assertThat(adopt(own, Map.of("id", DOCKER_ID, "name", "c1"), 403).getString("message"))
                .isEqualTo("container mine is netplane's own, not a container engine's: use /v1/containers to change it");
        assertThat(given().get("/v1/containers/docker-ep-00000000000c?host=h1").then().statusCode(200).extract()
                .jsonPath().getString("endpoints[0].id")).isEqualTo(ea);
    }

    @Test
    void portsPublishedThroughAnEndpointAreValidatedAndCarriedByItsEvent() {
        String web = post("/v1/networks", Map.of("name", "web", "ipam", List.of(Map.of("subnet", "10.82.0.0/24"))))
                .getString("id");
        String ea = held("docker-ep-00000000000d", web).getString("endpoints[0].id");
        JsonPath published = given().contentType(ContentType.JSON)
                .body(Map.of("ports", List.of(Map.of("hostPort", 18080, "containerPort", 80, "protocol", "tcp")),
                        "exposedPorts", List.of("80/tcp")))
                .put("/v1/endpoints/" + ea + "/ports").then().statusCode(200).extract().jsonPath();
        assertThat(published.getInt("ports[0].hostPort")).isEqualTo(18080);
        assertThat(Db.outbox().get(Db.outbox().size() - 1)[2]).contains("\"hostPort\": 18080");
        String refused = given().contentType(ContentType.JSON)
                .body(Map.of("ports", List.of(Map.of("hostPort", 99999, "containerPort", 80, "protocol", "tcp"))))
                .put("/v1/endpoints/" + ea + "/ports").then().statusCode(400).extract().path("message");
        assertThat(refused).isEqualTo("invalid hostPort: 99999");
        given().contentType(ContentType.JSON).body(Map.of("ports", List.of()))
                .put("/v1/endpoints/" + ea + "/ports").then().statusCode(200);
        assertThat(given().get("/v1/containers/docker-ep-00000000000d?host=h1").then().statusCode(200).extract()
                .jsonPath().getList("ports")).isEmpty();
    }

    @Test
    void aRuntimesContainerLeavesThroughItsOverlayEndpointNotThroughAGatewayBridge() {
        String ov = post("/v1/networks", Map.of("name", "ov", "driver", "overlay",
                "ipam", List.of(Map.of("subnet", "10.83.0.0/24")))).getString("id");
        String closed = post("/v1/networks", Map.of("name", "closed", "driver", "overlay", "internal", true,
                "ipam", List.of(Map.of("subnet", "10.84.0.0/24")))).getString("id");
        JsonPath docker = held("docker-ep-00000000000e", ov);
        assertThat(docker.getList("endpoints")).hasSize(1);
        assertThat(docker.getBoolean("endpoints[0].gatewayEndpoint")).isTrue();
        assertThat(held("docker-ep-00000000000f", closed).getBoolean("endpoints[0].gatewayEndpoint")).isFalse();
        // netplane's own sandbox on the same overlay still leaves through the gateway bridge
        JsonPath own = post("/v1/containers", Map.of("name", "own", "hostId", "h1",
                "networks", List.of(Map.of("network", ov))));
        assertThat(own.getList("endpoints.gatewayBridge", Boolean.class)).containsExactlyInAnyOrder(false, true);
        assertThat(own.getBoolean("endpoints[0].gatewayEndpoint")).isFalse();
    }
}
