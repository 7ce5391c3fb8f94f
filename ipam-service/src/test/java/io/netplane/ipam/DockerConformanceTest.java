package io.netplane.ipam;

import static io.netplane.ipam.ContainerApiTest.container;
import static io.netplane.ipam.ContainerApiTest.on;
import static io.netplane.ipam.ContainerApiTest.refused;
import static io.netplane.ipam.DockerCliTest.fails;
import static io.netplane.ipam.DockerCliTest.ok;
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
 * What a docker CLI user sees at the edges (issue 11 items 4, 7, 9, 11), in Docker 20.10's words,
 * and that a refused request leaves nothing behind.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class DockerConformanceTest {

    @BeforeEach
    void reset() {
        Db.reset();
    }

    private static long networks() {
        return Db.count("SELECT count(*) FROM ipam.network");
    }

    private static long outboxRows() {
        return Db.count("SELECT count(*) FROM ipam.outbox");
    }

    @Test
    void inspectShowsTheGatewayOnlyWhereDockerDoesAndTheDefaultBridgesOptions() throws Exception {
        JsonPath bridge = new JsonPath(ok("network", "inspect", "bridge").out());
        assertThat(bridge.getMap("[0].IPAM.Config[0]")).containsOnlyKeys("Subnet");
        assertThat(bridge.getMap("[0].IPAM")).containsEntry("Options", null);
        assertThat(bridge.<String, String>getMap("[0].Options")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "com.docker.network.bridge.default_bridge", "true",
                "com.docker.network.bridge.enable_icc", "true",
                "com.docker.network.bridge.enable_ip_masquerade", "true",
                "com.docker.network.bridge.host_binding_ipv4", "0.0.0.0",
                "com.docker.network.bridge.name", "netplane0",
                "com.docker.network.driver.mtu", "1500"));

        ok("network", "create", "--subnet", "172.30.0.0/16", "given");
        JsonPath given = new JsonPath(ok("network", "inspect", "given").out());
        assertThat(given.getMap("[0].IPAM.Config[0]")).containsOnlyKeys("Subnet");
        assertThat(given.getMap("[0].IPAM.Options")).isEmpty();
        assertThat(given.getMap("[0].IPAM")).containsKey("Options");

        ok("network", "create", "chosen");
        JsonPath chosen = new JsonPath(ok("network", "inspect", "chosen").out());
        assertThat(chosen.getMap("[0].IPAM.Config[0]")).containsOnlyKeys("Subnet", "Gateway");
        assertThat(chosen.getString("[0].IPAM.Config[0].Gateway")).isEqualTo("172.18.0.1");
    }

    @Test
    void inspectAnswersWithTheFieldsOfTheApiVersionAsked() {
        Map<String, Object> newest = given().get("/v1.47/networks/bridge").then().statusCode(200).extract().path("");
        assertThat(newest).containsKeys("EnableIPv4", "Ingress", "ConfigFrom", "ConfigOnly");
        Map<String, Object> v141 = given().get("/v1.41/networks/bridge").then().statusCode(200).extract().path("");
        assertThat(v141).doesNotContainKey("EnableIPv4").containsKeys("Ingress", "ConfigFrom", "ConfigOnly");
        Map<String, Object> v129 = given().get("/v1.29/networks/bridge").then().statusCode(200).extract().path("");
        assertThat(v129).doesNotContainKeys("EnableIPv4", "ConfigFrom", "ConfigOnly").containsKey("Ingress");
        List<Map<String, Object>> listed = given().get("/v1.41/networks").then().statusCode(200).extract().path("");
        assertThat(listed).allSatisfy(n -> assertThat(n).doesNotContainKey("EnableIPv4"));
    }

    @Test
    void subnetsDockerCannotUseAreRefusedAndNothingIsMade() throws Exception {
        long before = networks();
        assertThat(fails("network", "create", "--subnet", "10.0.0.7/32", "tiny").err())
                .contains("invalid subnet 10.0.0.7/32: a /32 holds one address, which the gateway takes");
        assertThat(fails("network", "create", "--subnet", "224.1.0.0/16", "multi").err())
                .contains("invalid subnet 224.1.0.0/16: 224.0.0.0/4 is multicast");
        assertThat(fails("network", "create", "--subnet", "127.5.0.0/16", "loop").err())
                .contains("invalid subnet 127.5.0.0/16: 127.0.0.0/8 is the loopback block");
        assertThat(fails("network", "create", "--subnet", "0.0.0.0/0", "everything").err())
                .contains("invalid subnet 0.0.0.0/0: 0.0.0.0/8 means \"this host\"");
        assertThat(fails("network", "create", "--subnet", "10.9.0.0/16 ", "spaced").err())
                .contains("failed to parse pool request for address space \"LocalDefault\" pool \"10.9.0.0/16 \" "
                        + "subpool \"\": Invalid Address Pool");
        assertThat(fails("network", "create", "--subnet", "not-a-cidr", "junk").err())
                .contains("pool \"not-a-cidr\" subpool \"\": Invalid Address Pool");
        assertThat(networks()).isEqualTo(before);
        assertThat(outboxRows()).isZero();

        ok("network", "create", "--subnet", "10.0.0.8/31", "pair"); // RFC 3021: the gateway and one container
        given().contentType(ContentType.JSON).body(Map.of("name", "only", "hostId", "h1", "networks",
                List.of(on("pair")))).post("/v1/containers").then().statusCode(201);
    }

    @Test
    void refusalsUseDocker2010sWords() throws Exception {
        ok("network", "create", "--subnet", "172.30.0.0/16", "first");
        assertThat(fails("network", "create", "--subnet", "172.30.1.0/24", "clash").err())
                .contains("Error response from daemon: Pool overlaps with other one on this address space")
                .doesNotContain("invalid pool request");
        container(Map.of("name", "c1", "hostId", "h1"));
        assertThat(fails("network", "connect", "--ip", "10.9.9.9", "first", "c1").err())
                .contains("Invalid address 10.9.9.9: It does not belong to any of this network's subnets");
        ok("network", "connect", "first", "c1");
        String id = new JsonPath(ok("network", "inspect", "first").out()).getString("[0].Id");
        assertThat(fails("network", "rm", "first").err())
                .contains("error while removing network: network first id " + id + " has active endpoints");
        assertThat(refused(Map.of("name", "c2", "hostId", "h1", "networks",
                List.of(on("bridge", "links", List.of(Map.of("name", "ghost"))))), 400))
                .isEqualTo("could not get container for ghost: No such container: ghost");
        assertThat(Db.count("SELECT count(*) FROM ipam.container WHERE name = 'c2'")).isZero();
    }

    @Test
    void hostAndNoneContainersAreRefusedOtherNetworksInDockersTwoMessages() throws Exception {
        container(Map.of("name", "hc", "hostId", "h1", "networks", List.of(on("host"))));
        container(Map.of("name", "nc", "hostId", "h1", "networks", List.of(on("none"))));
        container(Map.of("name", "bc", "hostId", "h1"));
        String shared = "container sharing network namespace with another container or host cannot be connected "
                + "to any other network";
        String none = "container cannot be connected to multiple networks with one of the networks in private "
                + "(none) mode";
        assertThat(fails("network", "connect", "bridge", "hc").err()).contains(shared);
        assertThat(fails("network", "connect", "host", "bc").err()).contains(shared);
        assertThat(fails("network", "connect", "bridge", "nc").err()).contains(none);
        assertThat(fails("network", "connect", "none", "bc").err()).contains(none);
        assertThat(fails("network", "disconnect", "host", "hc").err())
                .contains("container cannot be disconnected from host network or connected to host network");
        long rows = outboxRows();

        ok("network", "disconnect", "none", "nc");
        JsonPath left = given().get("/v1/containers/nc").then().statusCode(200).extract().jsonPath();
        assertThat(left.getList("endpoints")).isEmpty();
        assertThat(outboxRows()).isEqualTo(rows + 1); // its EndpointReleased
        ok("network", "connect", "bridge", "nc");
        assertThat(given().get("/v1/containers/nc").then().extract().<String>path("endpoints[0].ipv4Address"))
                .isEqualTo("172.17.0.3/16");
    }

    @Test
    void portsOnTheHostNetworkAreDiscardedWithDockersWarningAndAliasesThereRefused() {
        JsonPath h = container(Map.of("name", "web", "hostId", "h1", "networks", List.of(on("host")),
                "ports", List.of(Map.of("containerPort", 80, "hostPort", 8080))));
        assertThat(h.getList("warnings")).containsExactly("Published ports are discarded when using host network mode");
        assertThat(h.getList("ports")).isEmpty();
        assertThat(Db.outbox()).noneMatch(row -> row[2].contains("8080"));
        assertThat(container(Map.of("name", "plain", "hostId", "h1")).getList("warnings")).isEmpty();

        long rows = outboxRows();
        for (String special : List.of("host", "none")) {
            assertThat(refused(Map.of("name", "aliased", "hostId", "h1", "networks",
                    List.of(on(special, "aliases", List.of("db")))), 400))
                    .isEqualTo("network-scoped alias is supported only for containers in user defined networks");
        }
        assertThat(Db.count("SELECT count(*) FROM ipam.container WHERE name = 'aliased'")).isZero();
        assertThat(outboxRows()).isEqualTo(rows);
    }
}
