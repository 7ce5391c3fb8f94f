package io.netplane.ipam;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.events.Command;
import io.netplane.events.model.ContainerSpec;
import io.netplane.events.model.NetworkSpec;
import io.netplane.events.model.Operation;
import io.netplane.ipam.support.CommandTopic;
import io.netplane.ipam.support.Db;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile values through every door of ipam-service (REST /v1, the Docker API, the commands
 * topic): each gets a 4xx whose message says what is wrong, nothing is created or written to the
 * outbox, and the service goes on answering.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class HostileInputTest {

    private static final String BRIDGE_NAME = "com.docker.network.bridge.name";
    private static final String MEGABYTE = "a".repeat(1_000_000);

    @BeforeEach
    void reset() {
        Db.reset();
    }

    private static Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(path);
    }

    /** The refusal's status and its message, which must stay short whatever was sent. */
    private static String refused(Response r, int status) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        String message = r.jsonPath().getString("message");
        assertThat(message).as(r.asString()).isNotBlank().hasSizeLessThan(400);
        return message;
    }

    private static void assertNothingCreated() {
        assertThat(given().get("/v1/networks").then().statusCode(200).extract().jsonPath().getList("name"))
                .containsExactlyInAnyOrder("bridge", "host", "none");
        assertThat(given().get("/v1/containers").then().statusCode(200).extract().jsonPath().getList("id")).isEmpty();
        assertThat(Db.outbox().stream().filter(r -> !r[0].endsWith("CommandResult")).toList()).isEmpty();
    }

    private static void assertStillServes() {
        post("/v1/networks", Map.of("name", "after-hostile")).then().statusCode(201);
        post("/v1/containers", Map.of("name", "after-hostile", "hostId", "h1")).then().statusCode(201);
    }

    @Test
    void hostileNetworksOverRestAreRefusedWithTheReason() {
        Map<Object, String> cases = Map.ofEntries(
                Map.entry(Map.of("name", "a b"), "a b includes invalid characters, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed"),
                Map.entry(Map.of("name", "x\n-F FORWARD"), "x\\n-F FORWARD includes invalid characters"),
                Map.entry(Map.of("name", "../../etc"), "../../etc includes invalid characters"),
                Map.entry(Map.of("name", "rés$(reboot)"), "includes invalid characters"),
                Map.entry(Map.of("name", "n".repeat(129)), "is too long: at most 128 characters"),
                Map.entry(Map.of("name", "inject", "options", Map.of(BRIDGE_NAME, "x\n-F FORWARD")),
                        "invalid com.docker.network.bridge.name \"x\\n-F FORWARD\": a Linux interface name holds"
                                + " printable ASCII characters other than '/', ':' and spaces"),
                Map.entry(Map.of("name", "dots", "options", Map.of(BRIDGE_NAME, "..")), "cannot be \".\" or \"..\""),
                Map.entry(Map.of("name", "spaced", "options", Map.of(BRIDGE_NAME, "br 0")), "printable ASCII"),
                Map.entry(Map.of("name", "long", "options", Map.of(BRIDGE_NAME, "b".repeat(16))), "1 to 15 characters"),
                Map.entry(Map.of("name", "ctl", "options", Map.of("x", "a\nb")), "control characters"),
                Map.entry(Map.of("name", "masq", "options", Map.of("com.docker.network.bridge.enable_ip_masquerade", "x")),
                        "invalid com.docker.network.bridge.enable_ip_masquerade \"x\": use true or false"),
                Map.entry(Map.of("name", "huge", "labels", Map.of("big", MEGABYTE)),
                        "label big is too long: at most 2048 characters"),
                Map.entry(Map.of("name", "many", "labels", manyLabels(33)), "too many labels: 33, at most 32"),
                Map.entry(Map.of("name", "sub", "ipam", List.of(Map.of("subnet", " 10.5.0.0/16"))),
                        "pool \" 10.5.0.0/16\" subpool \"\": Invalid Address Pool"),
                Map.entry(Map.of("name", "sub", "ipam", List.of(Map.of("subnet", "999.1.1.0/24"))),
                        "pool \"999.1.1.0/24\" subpool \"\": Invalid Address Pool"),
                Map.entry(Map.of("name", "gw", "ipam", List.of(Map.of("subnet", "10.5.0.0/16", "gateway", "10.5.0.1\n"))),
                        "invalid gateway 10.5.0.1\\n: not an IPv4 address"));
        cases.forEach((body, words) -> assertThat(refused(post("/v1/networks", body), 400)).as(words).contains(words));
        assertNothingCreated();
        assertStillServes();
    }

    private static Map<String, String> manyLabels(int n) {
        Map<String, String> labels = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            labels.put("l" + i, "v");
        }
        return labels;
    }

    @Test
    void hostileContainersOverRestAreRefusedWithTheReason() {
        Map<Object, String> cases = Map.ofEntries(
                Map.entry(Map.of("name", "a b", "hostId", "h1"),
                        "Invalid container name (a b), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"),
                Map.entry(Map.of("name", "../x", "hostId", "h1"), "Invalid container name (../x)"),
                Map.entry(Map.of("name", "web", "hostId", "../../etc"), "invalid host id \"../../etc\""),
                Map.entry(Map.of("name", "web", "hostId", "h1\n"), "invalid host id \"h1\\n\""),
                Map.entry(Map.of("name", "web", "hostId", "h1", "sandbox", "/var/run/netns/../../etc/shadow"),
                        "invalid sandbox \"/var/run/netns/../../etc/shadow\": give a network namespace as"
                                + " /var/run/netns/<name>, /run/netns/<name> or /proc/<pid>/ns/net"),
                Map.entry(Map.of("name", "web", "hostId", "h1", "sandbox", "/proc/1/ns/mnt"), "invalid sandbox"),
                Map.entry(Map.of("name", "web", "hostId", "h1", "hostname", "evil\n10.0.0.1 bank"),
                        "invalid hostname format: evil\\n10.0.0.1 bank"),
                Map.entry(Map.of("name", "web", "hostId", "h1", "hostname", MEGABYTE), "invalid hostname format: aaaa"),
                Map.entry(Map.of("name", "web", "hostId", "h1", "hostname", "ünïcode"), "invalid hostname format"),
                Map.entry(Map.of("name", "web", "hostId", "h1",
                        "networks", List.of(Map.of("network", "bridge", "aliases", List.of("db\n1.2.3.4 bank")))),
                        "invalid alias \"db\\n1.2.3.4 bank\""),
                Map.entry(Map.of("name", "web", "hostId", "h1",
                        "networks", List.of(Map.of("network", "bridge", "aliases", Collections.nCopies(33, "a")))),
                        "too many aliases: 33, at most 32"),
                Map.entry(Map.of("name", "web", "hostId", "h1",
                        "networks", List.of(Map.of("network", "bridge", "links", List.of(Map.of("name", "db", "alias", "a; rm -rf /"))))),
                        "invalid link alias \"a; rm -rf /\""),
                Map.entry(Map.of("name", "web", "hostId", "h1", "networks", List.of(Map.of("network", "x y"))),
                        "x y includes invalid characters"),
                Map.entry(Map.of("name", "web", "hostId", "h1", "ports", List.of(Map.of("containerPort", 80, "hostPort", 99999))),
                        "invalid hostPort: 99999"),
                Map.entry(Map.of("name", "web", "hostId", "h1", "ports", List.of(Map.of("containerPort", 0))),
                        "invalid containerPort: 0"),
                Map.entry(Map.of("name", "web", "hostId", "h1", "ports", List.of(Map.of("containerPort", 80, "protocol", "tcp -j ACCEPT"))),
                        "invalid proto: tcp -j ACCEPT"),
                Map.entry(Map.of("name", "web", "hostId", "h1", "ports", List.of(Map.of("containerPort", 80, "hostIp", "999.1.1.1"))),
                        "invalid IP address: 999.1.1.1"),
                Map.entry(Map.of("name", "web", "hostId", "h1", "exposedPorts", List.of("80/icmp")), "invalid proto: icmp"),
                Map.entry(Map.of("name", "web", "hostId", "h1", "ports", List.of(Map.of("containerPort", 80, "hostPort", "abc"))),
                        "wrong type at \"ports[0].hostPort\": abc is not a whole number"),
                Map.entry(Map.of("name", "web", "hostId", "h1", "networks", "bridge"),
                        "wrong type at \"networks\": expected a list"));
        cases.forEach((body, words) -> assertThat(refused(post("/v1/containers", body), 400)).as(words).contains(words));
        assertNothingCreated();
        assertStillServes();
    }

    @Test
    void malformedAndOversizedBodiesAreRefusedWithTheReason() {
        assertThat(refused(post("/v1/networks", "{\"name\": \"x\""), 400))
                .startsWith("malformed JSON in the request body: ");
        assertThat(refused(post("/v1/containers", "[1, 2]"), 400)).startsWith("malformed JSON in the request body: ");
        assertThat(refused(post("/v1/networks", Map.of("name", "x", "internal", "maybe")), 400))
                .isEqualTo("malformed JSON in the request body: wrong type at \"internal\": maybe is not true or false");
        Response huge = post("/v1/networks", Map.of("name", "x", "labels", Map.of("big", "a".repeat(2_000_000))));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.jsonPath().getString("message")).contains("request body is too large").contains("1 MB");
        assertNothingCreated();
        assertStillServes();
    }

    @Test
    void hostileRequestsOverTheDockerApiAreRefusedInDockersShape() {
        Map<Object, String> cases = Map.of(
                Map.of("Name", "a b"), "a b includes invalid characters",
                Map.of("Name", "inject", "Options", Map.of(BRIDGE_NAME, "x\n-F FORWARD")),
                "invalid com.docker.network.bridge.name \"x\\n-F FORWARD\"",
                Map.of("Name", "huge", "Labels", Map.of("big", MEGABYTE)), "label big is too long",
                Map.of("Name", "aux", "IPAM", Map.of("Config", List.of(Map.of("Subnet", "10.9.0.0/16",
                        "AuxiliaryAddresses", Map.of("a\nb", "10.9.0.5"))))), "control characters");
        cases.forEach((body, words) -> assertThat(refused(post("/networks/create", body), 400)).as(words).contains(words));
        assertThat(refused(post("/networks/create", "{\"Name\": "), 400)).startsWith("malformed JSON in the request body");
        assertThat(refused(post("/networks/create", Map.of("Name", 5)), 400))
                .isEqualTo("json: cannot unmarshal number into Go struct field Name of type string");
        assertThat(refused(post("/networks/create", Map.of("Name", "x", "Internal", "yes")), 400))
                .isEqualTo("json: cannot unmarshal string into Go struct field Internal of type bool");
        assertThat(refused(post("/networks/create", Map.of("Name", "x", "Labels", Map.of("a", List.of()))), 400))
                .isEqualTo("json: cannot unmarshal array into Go struct field Labels of type string");
        assertNothingCreated();

        post("/v1/networks", Map.of("name", "okay")).then().statusCode(201);
        post("/v1/containers", Map.of("name", "c1", "hostId", "h1")).then().statusCode(201);
        long before = Db.outbox().size();
        assertThat(refused(post("/networks/okay/connect",
                Map.of("Container", "c1", "EndpointConfig", Map.of("Aliases", List.of("a\nb")))), 400))
                .contains("invalid alias \"a\\nb\"");
        assertThat(refused(post("/networks/okay/connect", Map.of("Container", "c1",
                "EndpointConfig", Map.of("Links", List.of("db:x y")))), 400)).contains("invalid link alias \"x y\"");
        assertThat(refused(post("/networks/okay/connect", Map.of("Container", "c1",
                "EndpointConfig", Map.of("IPAMConfig", Map.of("IPv4Address", "999.1.1.1")))), 400))
                .contains("invalid IPv4 address: 999.1.1.1");
        assertThat(Db.outbox()).hasSize((int) before);
        assertThat(given().get("/v1/containers/c1").then().statusCode(200).extract().jsonPath().getList("endpoints"))
                .hasSize(1);
    }

    @Test
    void hostileCommandsGetAnErrorResultWithTheValidatorsMessage() throws Exception {
        String badBridge = UUID.randomUUID().toString();
        CommandTopic.send(new Command(badBridge, 1, Instant.now(), Command.SCHEMA_VERSION, Operation.CREATE_NETWORK,
                new NetworkSpec("inject", "bridge", List.of(), false, false, false, Map.of(BRIDGE_NAME, "x\n-F FORWARD"),
                        Map.of()), null, null, null, null));
        String badHostname = UUID.randomUUID().toString();
        CommandTopic.send(new Command(badHostname, 1, Instant.now(), Command.SCHEMA_VERSION,
                Operation.CREATE_CONTAINER, null, new ContainerSpec("web", "evil\n10.0.0.1 bank", "h1",
                        "/var/run/netns/../../proc/1/ns/net", List.of(), List.of(), List.of(), false), null, null, null));
        await().atMost(Duration.ofSeconds(60)).until(() -> CommandTopic.resultsFor(badBridge).size() == 1
                && CommandTopic.resultsFor(badHostname).size() == 1);
        assertThat(CommandTopic.resultsFor(badBridge).get(0)).contains("\"status\": \"ERROR\"").contains("\"code\": 400")
                .contains("invalid com.docker.network.bridge.name \\\"x\\\\n-F FORWARD\\\"");
        assertThat(CommandTopic.resultsFor(badHostname).get(0)).contains("\"status\": \"ERROR\"")
                .contains("\"code\": 400").contains("invalid hostname format: evil\\\\n10.0.0.1 bank");
        assertNothingCreated();
        assertStillServes();
    }
}
