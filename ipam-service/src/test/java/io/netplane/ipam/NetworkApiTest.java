package io.netplane.ipam;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.netplane.ipam.support.Db;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Networks through /v1 against the real database: pools, validation, removal. */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class NetworkApiTest {

    @BeforeEach
    void reset() {
        Db.reset();
    }

    static String create(Map<String, Object> body, int status) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/networks").then().statusCode(status)
                .extract().asString();
    }

    static String subnetOf(String name) {
        return given().get("/v1/networks/" + name).then().statusCode(200).extract()
                .path("network.ipam[0].subnet");
    }

    @Test
    void predefinedNetworksExistFromTheStart() {
        given().get("/v1/networks").then().statusCode(200)
                .body("name", hasItems("bridge", "host", "none"));
        given().get("/v1/networks/bridge").then().statusCode(200)
                .body("network.driver", equalTo("bridge")).body("network.scope", equalTo("local"))
                .body("network.ipam[0].subnet", equalTo("172.17.0.0/16"))
                .body("network.ipam[0].gateway", equalTo("172.17.0.1"))
                .body("network.bridgeName", equalTo("netplane0"))
                .body("network.predefined", equalTo(true));
        given().get("/v1/networks/none").then().statusCode(200).body("network.driver", equalTo("null"));
    }

    @Test
    void userBridgesGetTheNextFreePoolsInOrderAndAFreedPoolIsReused() {
        create(Map.of("name", "my-bridge"), 201);
        create(Map.of("name", "second"), 201);
        create(Map.of("name", "third"), 201);
        assertThat(List.of(subnetOf("my-bridge"), subnetOf("second"), subnetOf("third")))
                .containsExactly("172.18.0.0/16", "172.19.0.0/16", "172.20.0.0/16");
        given().get("/v1/networks/my-bridge").then().body("network.ipam[0].gateway", equalTo("172.18.0.1"))
                .body("network.mtu", equalTo(1500)).body("network.enableIcc", equalTo(true));
        given().delete("/v1/networks/second").then().statusCode(204);
        create(Map.of("name", "fourth"), 201);
        assertThat(subnetOf("fourth")).isEqualTo("172.19.0.0/16");
    }

    @Test
    void overlayNetworksAreGlobalWithTwentyFourBitPools() {
        create(Map.of("name", "demo", "driver", "overlay"), 201);
        given().get("/v1/networks/demo").then().statusCode(200)
                .body("network.scope", equalTo("global")).body("network.mtu", equalTo(1450))
                .body("network.ipam[0].subnet", equalTo("10.0.0.0/24"))
                .body("network.ipam[0].gateway", equalTo("10.0.0.1"));
    }

    @Test
    void exhaustedPoolsAreRefusedAndAFreedPoolIsHandedOutAgain() {
        // 172.17 is the default bridge: 14 more /16s and 16 /20s of 192.168 remain.
        for (int i = 0; i < 30; i++) {
            create(Map.of("name", "n" + i), 201);
        }
        assertThat(subnetOf("n29")).isEqualTo("192.168.240.0/20");
        String refused = create(Map.of("name", "one-too-many"), 403);
        assertThat(refused).contains("could not find an available, non-overlapping IPv4 address pool among the "
                + "defaults to assign to the network");
        given().get("/v1/networks/one-too-many").then().statusCode(404);
        given().delete("/v1/networks/n20").then().statusCode(204);
        create(Map.of("name", "again"), 201);
        assertThat(subnetOf("again")).isEqualTo("192.168.96.0/20");
    }

    @Test
    void optionsAndExplicitAddressingAreHonoured() {
        create(Map.of("name", "custom", "ipam", List.of(Map.of("subnet", "172.28.0.0/16", "ipRange",
                "172.28.5.0/24", "gateway", "172.28.5.254", "auxAddresses", Map.of("host1", "172.28.1.5"))),
                "internal", true, "labels", Map.of("team", "a"), "options",
                Map.of("com.docker.network.bridge.name", "br-custom", "com.docker.network.driver.mtu", "1400",
                        "com.docker.network.bridge.enable_icc", "false")), 201);
        given().get("/v1/networks/custom").then().statusCode(200)
                .body("network.ipam[0].ipRange", equalTo("172.28.5.0/24"))
                .body("network.ipam[0].gateway", equalTo("172.28.5.254"))
                .body("network.ipam[0].auxAddresses.host1", equalTo("172.28.1.5"))
                .body("network.bridgeName", equalTo("br-custom")).body("network.mtu", equalTo(1400))
                .body("network.enableIcc", equalTo(false)).body("network.internal", equalTo(true))
                .body("network.labels.team", equalTo("a"));
    }

    @Test
    void badRequestsAreRefusedInDockersWordsAndChangeNothing() {
        create(Map.of("name", "taken", "ipam", List.of(Map.of("subnet", "10.10.0.0/16"))), 201);
        long before = Db.count("SELECT count(*) FROM ipam.network");
        int outboxBefore = Db.outbox().size();

        assertThat(create(Map.of("name", "taken"), 409)).contains("network with name taken already exists");
        assertThat(create(Map.of("name", "overlap", "ipam", List.of(Map.of("subnet", "10.10.5.0/24"))), 403))
                .contains("\"Pool overlaps with other one on this address space\"");
        assertThat(create(Map.of("name", "bad", "ipam", List.of(Map.of("subnet", "10.1.2.3/16"))), 400))
                .contains("invalid network config:\\ninvalid subnet 10.1.2.3/16: it should be 10.1.0.0/16");
        assertThat(create(Map.of("name", "bad", "ipam", List.of(Map.of("subnet", "10.300.0.0/16"))), 400))
                .contains("pool \\\"10.300.0.0/16\\\" subpool \\\"\\\": Invalid Address Pool");
        assertThat(create(Map.of("name", "bad", "ipam", List.of(Map.of("subnet", "10.20.0.0/16", "gateway",
                "10.21.0.1"))), 400))
                .contains("invalid gateway 10.21.0.1: parent subnet 10.20.0.0/16 doesn't contain this address");
        assertThat(create(Map.of("name", "bad", "ipam", List.of(Map.of("subnet", "10.20.0.0/16", "ipRange",
                "10.21.0.0/24"))), 400))
                .contains("invalid ip-range 10.21.0.0/24: parent subnet 10.20.0.0/16 doesn't contain ip-range");
        assertThat(create(Map.of("name", "bad", "ipam", List.of(Map.of("subnet", "10.20.0.0/16", "auxAddresses",
                Map.of("a", "10.99.0.1")))), 400)).contains("invalid auxiliary address 10.99.0.1");
        assertThat(create(Map.of("name", "bad", "driver", "macvlan2"), 404)).contains("plugin not found");

        assertThat(Db.count("SELECT count(*) FROM ipam.network")).isEqualTo(before);
        assertThat(Db.outbox()).hasSize(outboxBefore);
    }

    @Test
    void predefinedNetworksCannotBeRemovedAndUnknownOnesAreNotFound() {
        assertThat(given().delete("/v1/networks/bridge").then().statusCode(403).extract().asString())
                .contains("bridge is a pre-defined network and cannot be removed");
        assertThat(given().delete("/v1/networks/nope").then().statusCode(404).extract().asString())
                .contains("network nope not found");
    }

    @Test
    void createAndRemovePublishThroughTheOutboxWithGrowingRevisions() {
        create(Map.of("name", "evented"), 201);
        given().delete("/v1/networks/evented").then().statusCode(204);
        List<String[]> rows = Db.outbox();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)[0]).endsWith("NetworkCreated");
        assertThat(rows.get(0)[2]).contains("\"name\": \"evented\"").contains("\"revision\": 1");
        assertThat(rows.get(1)[0]).endsWith("NetworkRemoved");
        assertThat(rows.get(1)[2]).contains("\"revision\": 2");
        assertThat(rows.get(1)[1]).isEqualTo(rows.get(0)[1]);
    }
}
