package io.netplane.ipam;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

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

/** Containers and endpoints through /v1 against the real database (SCENARIOS S2, S3, S4, S6, S8). */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class ContainerApiTest {

    @BeforeEach
    void reset() {
        Db.reset();
    }

    static JsonPath container(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/containers").then().statusCode(201)
                .extract().jsonPath();
    }

    static String refused(Map<String, Object> body, int status) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/containers").then().statusCode(status)
                .extract().path("message");
    }

    static void network(Map<String, Object> body) {
        given().contentType(ContentType.JSON).body(body).post("/v1/networks").then().statusCode(201);
    }

    static Map<String, Object> on(String network, Object... more) {
        Map<String, Object> m = new java.util.HashMap<>(Map.of("network", network));
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return m;
    }

    @Test
    void defaultBridgeHandsOutLowestAddressesWithDockerMacsAndNoNames() {
        JsonPath t1 = container(Map.of("name", "test1", "hostId", "h1"));
        JsonPath t2 = container(Map.of("name", "test2", "hostId", "h1"));
        assertThat(t1.getString("endpoints[0].ipv4Address")).isEqualTo("172.17.0.2/16");
        assertThat(t1.getString("endpoints[0].macAddress")).isEqualTo("02:42:ac:11:00:02");
        assertThat(t1.getString("endpoints[0].interfaceName")).isEqualTo("eth0");
        assertThat(t1.getString("endpoints[0].ipv4Gateway")).isEqualTo("172.17.0.1");
        assertThat(t1.getBoolean("endpoints[0].gatewayEndpoint")).isTrue();
        assertThat(t1.getList("endpoints[0].dnsNames")).isEmpty();
        assertThat(t1.getString("sandboxName")).isEqualTo("h1-test1");
        assertThat(t1.getString("id")).matches("[0-9a-f]{64}");
        assertThat(t2.getString("endpoints[0].ipv4Address")).isEqualTo("172.17.0.3/16");
        assertThat(t2.getString("endpoints[0].macAddress")).isEqualTo("02:42:ac:11:00:03");
        // Each host has its own instance of a local network, so h2's first container is .2 as well.
        assertThat(container(Map.of("name", "test1", "hostId", "h2")).getString("endpoints[0].ipv4Address"))
                .isEqualTo("172.17.0.2/16");
    }

    @Test
    void aReleasedAddressIsReusedAndRemovalPublishesReleases() {
        container(Map.of("name", "ca", "hostId", "h1"));
        container(Map.of("name", "cb", "hostId", "h1"));
        given().delete("/v1/containers/ca").then().statusCode(204);
        assertThat(container(Map.of("name", "cc", "hostId", "h1")).getString("endpoints[0].ipv4Address"))
                .isEqualTo("172.17.0.2/16");
        List<String> types = Db.outbox().stream().map(r -> r[0].substring(r[0].lastIndexOf('.') + 1)).toList();
        assertThat(types).containsSubsequence("ContainerCreated", "EndpointAllocated", "EndpointReleased",
                "ContainerRemoved", "ContainerCreated", "EndpointAllocated");
    }

    @Test
    void lowestFreeStaysLowestAroundExplicitAndReleasedAddresses() {
        network(Map.of("name", "tiny", "ipam", List.of(Map.of("subnet", "10.50.0.0/29"))));
        assertThat(container(Map.of("name", "k1", "hostId", "h1", "networks", List.of(on("tiny"))))
                .getString("endpoints[0].ipv4Address")).isEqualTo("10.50.0.2/29");
        container(Map.of("name", "k2", "hostId", "h1", "networks", List.of(on("tiny", "ipv4Address", "10.50.0.4"))));
        assertThat(container(Map.of("name", "k3", "hostId", "h1", "networks", List.of(on("tiny"))))
                .getString("endpoints[0].ipv4Address")).isEqualTo("10.50.0.3/29");
        // .4 is taken by --ip, so the next is .5; then .2 freed is handed out before .6
        assertThat(container(Map.of("name", "k4", "hostId", "h1", "networks", List.of(on("tiny"))))
                .getString("endpoints[0].ipv4Address")).isEqualTo("10.50.0.5/29");
        given().delete("/v1/containers/k1").then().statusCode(204);
        given().delete("/v1/containers/k2").then().statusCode(204);
        assertThat(container(Map.of("name", "k5", "hostId", "h1", "networks", List.of(on("tiny"))))
                .getString("endpoints[0].ipv4Address")).isEqualTo("10.50.0.2/29");
        assertThat(container(Map.of("name", "k6", "hostId", "h1", "networks", List.of(on("tiny"))))
                .getString("endpoints[0].ipv4Address")).isEqualTo("10.50.0.4/29");
        assertThat(container(Map.of("name", "k7", "hostId", "h1", "networks", List.of(on("tiny"))))
                .getString("endpoints[0].ipv4Address")).isEqualTo("10.50.0.6/29");
        // a /29 has .1-.6 usable and .1 is the gateway: the pool is exhausted now
        assertThat(refused(Map.of("name", "k8", "hostId", "h1", "networks", List.of(on("tiny"))), 403))
                .startsWith("no available IPv4 addresses on this network's address pools: tiny (");
    }

    @Test
    void userNetworkGivesNamesAliasesAndASecondInterfaceOnConnect() {
        network(Map.of("name", "my-bridge"));
        JsonPath t3 = container(Map.of("name", "test3", "hostId", "h1", "hostname", "web3",
                "networks", List.of(on("my-bridge", "aliases", List.of("web")))));
        String shortId = t3.getString("id").substring(0, 12);
        assertThat(t3.getString("endpoints[0].ipv4Address")).isEqualTo("172.18.0.2/16");
        assertThat(t3.getList("endpoints[0].dnsNames")).containsExactly("test3", "web", shortId, "web3");
        container(Map.of("name", "test2", "hostId", "h1"));
        JsonPath eth1 = given().contentType(ContentType.JSON).body(Map.of("network", "my-bridge"))
                .post("/v1/containers/test2/networks").then().statusCode(201).extract().jsonPath();
        assertThat(eth1.getString("interfaceName")).isEqualTo("eth1");
        assertThat(eth1.getString("ipv4Address")).isEqualTo("172.18.0.3/16");
        assertThat(eth1.getBoolean("gatewayEndpoint")).isFalse();
        given().delete("/v1/containers/test2/networks/my-bridge").then().statusCode(204);
        given().get("/v1/containers/test2").then().body("endpoints.size()", equalTo(1));
    }

    @Test
    void anInternalNetworkGivesTheDefaultRouteUntilANetworkWithAWayOutTakesItAsInDocker() {
        network(Map.of("name", "vault", "internal", true));
        network(Map.of("name", "open"));
        JsonPath k = container(Map.of("name", "keeper", "hostId", "h1", "networks", List.of(on("vault"))));
        assertThat(k.getBoolean("endpoints[0].gatewayEndpoint")).as("routes via the internal gateway").isTrue();

        JsonPath out = given().contentType(ContentType.JSON).body(Map.of("network", "open"))
                .post("/v1/containers/keeper/networks").then().statusCode(201).extract().jsonPath();
        assertThat(out.getBoolean("gatewayEndpoint")).as("the network with a way out takes the route").isTrue();
        given().get("/v1/containers/keeper").then()
                .body("endpoints.find { it.networkName == 'vault' }.gatewayEndpoint", equalTo(false));

        given().delete("/v1/containers/keeper/networks/open").then().statusCode(204);
        given().get("/v1/containers/keeper").then()
                .body("endpoints.find { it.networkName == 'vault' }.gatewayEndpoint", equalTo(true));

        // once a container routes out, a later internal network leaves the route where it is
        JsonPath w = container(Map.of("name", "walker", "hostId", "h1", "networks", List.of(on("open"))));
        JsonPath in = given().contentType(ContentType.JSON).body(Map.of("network", "vault"))
                .post("/v1/containers/walker/networks").then().statusCode(201).extract().jsonPath();
        assertThat(w.getBoolean("endpoints[0].gatewayEndpoint")).isTrue();
        assertThat(in.getBoolean("gatewayEndpoint")).isFalse();
    }

    @Test
    void aRuntimeNamesTheInterfaceAndGivesTheMacAndBadOnesAreRefusedWithoutChange() {
        network(Map.of("name", "cni-net"));
        JsonPath k = container(Map.of("name", "pod1", "hostId", "h1", "networks",
                List.of(on("cni-net", "interfaceName", "net1", "macAddress", "02:00:00:00:00:AA"))));
        assertThat(k.getString("endpoints[0].interfaceName")).isEqualTo("net1");
        assertThat(k.getString("endpoints[0].macAddress")).isEqualTo("02:00:00:00:00:aa");
        // a second network of the same container cannot take the same interface
        String taken = given().contentType(ContentType.JSON).body(Map.of("network", "bridge", "interfaceName", "net1"))
                .post("/v1/containers/pod1/networks").then().statusCode(409).extract().path("message");
        assertThat(taken).contains("interface net1 is in use");

        long containers = Db.count("SELECT count(*) FROM ipam.container");
        int events = Db.outbox().size();
        assertThat(refused(Map.of("name", "pod2", "hostId", "h1", "networks",
                List.of(on("cni-net", "macAddress", "01:00:5e:00:00:01"))), 400)).contains("multicast");
        assertThat(refused(Map.of("name", "pod2", "hostId", "h1", "networks",
                List.of(on("cni-net", "macAddress", "02:00:00:00:00"))), 400))
                .isEqualTo("02:00:00:00:00 is not a valid mac address");
        assertThat(refused(Map.of("name", "pod2", "hostId", "h1", "networks",
                List.of(on("cni-net", "interfaceName", "eth0 x"))), 400)).contains("invalid interface name");
        assertThat(refused(Map.of("name", "pod2", "hostId", "h1", "networks",
                List.of(on("cni-net", "interfaceName", "a-name-longer-than-15"))), 400)).contains("1 to 15 characters");
        assertThat(Db.count("SELECT count(*) FROM ipam.container")).isEqualTo(containers);
        assertThat(Db.outbox()).hasSize(events);
    }

    @Test
    void explicitAddressesAreHonouredAndWrongOnesRefusedWithoutChange() {
        network(Map.of("name", "fixed", "ipam", List.of(Map.of("subnet", "172.28.0.0/16", "ipRange",
                "172.28.5.0/24", "auxAddresses", Map.of("x", "172.28.5.1")))));
        JsonPath dyn = container(Map.of("name", "dyn", "hostId", "h1", "networks", List.of(on("fixed"))));
        // the gateway is the first of the ip-range (.5.0), the aux address .5.1 is reserved
        assertThat(dyn.getString("endpoints[0].ipv4Gateway")).isEqualTo("172.28.5.0");
        assertThat(dyn.getString("endpoints[0].ipv4Address")).isEqualTo("172.28.5.2/16");
        JsonPath ip = container(Map.of("name", "static", "hostId", "h1",
                "networks", List.of(on("fixed", "ipv4Address", "172.28.9.9"))));
        assertThat(ip.getString("endpoints[0].ipv4Address")).isEqualTo("172.28.9.9/16");
        long containers = Db.count("SELECT count(*) FROM ipam.container");
        int events = Db.outbox().size();

        assertThat(refused(Map.of("name", "x1", "hostId", "h1", "networks",
                List.of(on("fixed", "ipv4Address", "172.28.9.9"))), 403)).isEqualTo("Address already in use");
        assertThat(refused(Map.of("name", "x1", "hostId", "h1", "networks",
                List.of(on("fixed", "ipv4Address", "172.28.5.1"))), 403)).isEqualTo("Address already in use");
        assertThat(refused(Map.of("name", "x1", "hostId", "h1", "networks",
                List.of(on("fixed", "ipv4Address", "10.9.9.9"))), 400))
                .isEqualTo("Invalid address 10.9.9.9: It does not belong to any of this network's subnets");
        assertThat(refused(Map.of("name", "x1", "hostId", "h1", "networks",
                List.of(on("fixed", "ipv4Address", "nonsense"))), 400)).contains("invalid IPv4 address: nonsense");
        assertThat(refused(Map.of("name", "x1", "hostId", "h1", "networks",
                List.of(on("bridge", "ipv4Address", "172.17.0.9"))), 400))
                .isEqualTo("user specified IP address is supported on user defined networks only");
        assertThat(refused(Map.of("name", "x1", "hostId", "h1", "networks",
                List.of(on("bridge", "aliases", List.of("a")))), 400))
                .isEqualTo("network-scoped alias is supported only for containers in user defined networks");
        assertThat(refused(Map.of("name", "dyn", "hostId", "h1"), 409))
                .startsWith("Conflict. The container name \"/dyn\" is already in use");
        assertThat(refused(Map.of("name", "x1", "hostId", "h1", "networks", List.of(on("nope"))), 404))
                .isEqualTo("network nope not found");
        assertThat(refused(Map.of("name", "-bad", "hostId", "h1"), 400)).startsWith("Invalid container name (-bad)");

        assertThat(Db.count("SELECT count(*) FROM ipam.container")).isEqualTo(containers);
        assertThat(Db.outbox()).hasSize(events);
    }

    @Test
    void aNetworkWithEndpointsCannotBeRemoved() {
        network(Map.of("name", "busy"));
        JsonPath k = container(Map.of("name", "web", "hostId", "h1", "networks", List.of(on("busy"))));
        String id = k.getString("endpoints[0].networkId");
        assertThat(given().delete("/v1/networks/busy").then().statusCode(403).extract().<String>path("message"))
                .isEqualTo("error while removing network: network busy id " + id + " has active endpoints");
    }

    @Test
    void linksResolveToTheTargetsAddressOnTheSharedNetwork() {
        JsonPath t1 = container(Map.of("name", "test1", "hostId", "h1"));
        JsonPath t2 = container(Map.of("name", "test2", "hostId", "h1", "networks",
                List.of(on("bridge", "links", List.of(Map.of("name", "test1", "alias", "db"))))));
        assertThat(t2.getString("endpoints[0].links[0].alias")).isEqualTo("db");
        assertThat(t2.getString("endpoints[0].links[0].ipv4Address")).isEqualTo("172.17.0.2");
        assertThat(t2.getString("endpoints[0].links[0].containerId")).isEqualTo(t1.getString("id"));
        assertThat(refused(Map.of("name", "t3", "hostId", "h1", "networks",
                List.of(on("bridge", "links", List.of(Map.of("name", "ghost"))))), 400))
                .isEqualTo("could not get container for ghost: No such container: ghost");
    }

    @Test
    void overlayIsOneAddressSpaceWithUniqueEndpointNamesAndAGatewayBridge() {
        network(Map.of("name", "demo", "driver", "overlay"));
        JsonPath t1 = container(Map.of("name", "test1", "hostId", "h1", "networks", List.of(on("demo"))));
        JsonPath t2 = container(Map.of("name", "test2", "hostId", "h2", "networks", List.of(on("demo"))));
        assertThat(t1.getString("endpoints[0].ipv4Address")).isEqualTo("10.0.0.2/24");
        assertThat(t2.getString("endpoints[0].ipv4Address")).isEqualTo("10.0.0.3/24");
        assertThat(t1.getString("endpoints[0].interfaceName")).isEqualTo("eth0");
        assertThat(t1.getBoolean("endpoints[0].gatewayEndpoint")).isFalse();
        assertThat(t1.getString("endpoints[1].networkName")).isEqualTo("netplane_gwbridge");
        assertThat(t1.getString("endpoints[1].interfaceName")).isEqualTo("eth1");
        assertThat(t1.getBoolean("endpoints[1].gatewayBridge")).isTrue();
        assertThat(t1.getBoolean("endpoints[1].gatewayEndpoint")).isTrue();
        assertThat(t1.getString("endpoints[1].ipv4Address")).isEqualTo("172.18.0.2/16");
        given().get("/v1/networks/netplane_gwbridge").then().body("network.bridgeName", equalTo("np_gwbridge"))
                .body("network.enableIcc", equalTo(false));
        assertThat(refused(Map.of("name", "test1", "hostId", "h2", "networks", List.of(on("demo"))), 403))
                .isEqualTo("endpoint with name test1 already exists in network demo");
        given().delete("/v1/containers/test1/networks/demo").then().statusCode(204);
        given().get("/v1/containers/test1").then().body("endpoints.size()", equalTo(0));
    }

    @Test
    void hostAndNoneContainersHaveAnEndpointWithoutAddress() {
        JsonPath h = container(Map.of("name", "hosted", "hostId", "h1", "networks", List.of(on("host"))));
        assertThat(h.getString("networkMode")).isEqualTo("host");
        assertThat(h.getString("endpoints[0].ipv4Address")).isNull();
        assertThat(h.getString("endpoints[0].macAddress")).isNull();
        JsonPath n = container(Map.of("name", "nothing", "hostId", "h1", "networks", List.of(on("none"))));
        assertThat(n.getString("networkMode")).isEqualTo("none");
        assertThat(n.getString("endpoints[0].networkName")).isEqualTo("none");
        assertThat(n.getString("endpoints[0].ipv4Address")).isNull();
        given().contentType(ContentType.JSON).body(Map.of("network", "bridge")).post("/v1/containers/hosted/networks")
                .then().statusCode(403);
    }
}
