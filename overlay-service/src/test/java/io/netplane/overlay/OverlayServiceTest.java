package io.netplane.overlay;

import static io.netplane.overlay.engine.Events.endpoint;
import static io.netplane.overlay.engine.Events.overlayNetwork;
import static io.netplane.overlay.engine.Events.released;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.netplane.events.Names;
import io.netplane.events.kafka.EventRecords;
import io.netplane.overlay.kafka.DeadLetters;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import io.netplane.events.OverlayMesh;
import io.netplane.events.model.MeshNetwork;
import io.netplane.events.model.MeshPeer;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.netplane.overlay.kafka.EventSender;
import io.netplane.overlay.kafka.Heartbeats;
import io.netplane.overlay.kafka.MeshWatcher;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The running service on the real broker and database: events go in on networks, endpoints and
 * hosts; meshes come out on overlay-mesh, through the outbox.
 */
@QuarkusTest
@QuarkusTestResource(LocalClusterResource.class)
class OverlayServiceTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static EventSender sender;
    static MeshWatcher watcher;
    static Heartbeats agents;

    @BeforeAll
    static void connect() {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        sender = new EventSender(bootstrap);
        watcher = new MeshWatcher(bootstrap);
        agents = new Heartbeats(sender);
    }

    @AfterAll
    static void disconnect() {
        agents.close();
        watcher.close();
        sender.close();
    }

    static String newNetworkId() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }

    static int vniOf(String networkId) {
        return given().get("/v1/overlay/networks/" + networkId).then().statusCode(200).extract().path("vni");
    }

    static MeshNetwork expected(String net, int vni, List<MeshPeer> peers, List<String> flood) {
        return new MeshNetwork(net, "demo", vni, "10.0.0.0/24", "10.0.0.1", 1450, "br-" + net.substring(0, 12),
                Names.vxlanDevice(vni, net), peers, flood);
    }

    List<MeshNetwork> meshOf(String host) {
        return watcher.mesh(host).map(OverlayMesh::networks).orElse(null);
    }

    @Test
    void twoThenThreeHostsJoinAndLeaveANetwork() {
        String net = newNetworkId();
        agents.start("join-h1", "192.0.2.11");
        agents.start("join-h2", "192.0.2.12");
        agents.start("join-h3", "192.0.2.13");
        sender.send(overlayNetwork(net, 1, "demo", "10.0.0.0/24", "10.0.0.1"),
                endpoint("join-e1", 1, net, "join-h1", "10.0.0.2", "02:42:0a:00:00:02"),
                endpoint("join-e2", 1, net, "join-h2", "10.0.0.3", "02:42:0a:00:00:03"));

        MeshPeer e1 = new MeshPeer("join-e1", "join-h1", "10.0.0.2", "02:42:0a:00:00:02", "192.0.2.11");
        MeshPeer e2 = new MeshPeer("join-e2", "join-h2", "10.0.0.3", "02:42:0a:00:00:03", "192.0.2.12");
        MeshPeer e3 = new MeshPeer("join-e3", "join-h3", "10.0.0.4", "02:42:0a:00:00:04", "192.0.2.13");
        await().atMost(WAIT).untilAsserted(() -> {
            int vni = vniOf(net);
            assertThat(vni).isGreaterThanOrEqualTo(4096);
            assertThat(meshOf("join-h1")).containsExactly(expected(net, vni, List.of(e2), List.of("192.0.2.12")));
            assertThat(meshOf("join-h2")).containsExactly(expected(net, vni, List.of(e1), List.of("192.0.2.11")));
        });
        assertThat(watcher.mesh("join-h1").orElseThrow().vtepAddress()).isEqualTo("192.0.2.11");
        int vni = vniOf(net);

        sender.send(endpoint("join-e3", 1, net, "join-h3", "10.0.0.4", "02:42:0a:00:00:04"));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(meshOf("join-h3")).containsExactly(
                    expected(net, vni, List.of(e1, e2), List.of("192.0.2.11", "192.0.2.12")));
            assertThat(meshOf("join-h1")).containsExactly(
                    expected(net, vni, List.of(e2, e3), List.of("192.0.2.12", "192.0.2.13")));
        });

        sender.send(released("join-e1", 2, net, "join-h1"));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(meshOf("join-h1")).isEmpty();
            assertThat(meshOf("join-h2")).containsExactly(expected(net, vni, List.of(e3), List.of("192.0.2.13")));
            assertThat(meshOf("join-h3")).containsExactly(expected(net, vni, List.of(e2), List.of("192.0.2.12")));
        });
        assertThat(watcher.regressions()).isEmpty();
    }

    @Test
    void anEndpointMovesToAnotherHost() {
        String net = newNetworkId();
        agents.start("move-h1", "192.0.2.21");
        agents.start("move-h2", "192.0.2.22");
        agents.start("move-h3", "192.0.2.23");
        sender.send(overlayNetwork(net, 1, "demo", "10.0.0.0/24", "10.0.0.1"),
                endpoint("move-e1", 1, net, "move-h1", "10.0.0.2", "02:42:0a:00:00:02"),
                endpoint("move-e2", 1, net, "move-h2", "10.0.0.3", "02:42:0a:00:00:03"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(meshOf("move-h2")).hasSize(1));

        sender.send(endpoint("move-e2", 2, net, "move-h3", "10.0.0.3", "02:42:0a:00:00:03"));

        int vni = vniOf(net);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(meshOf("move-h2")).isEmpty();
            assertThat(meshOf("move-h1")).containsExactly(expected(net, vni,
                    List.of(new MeshPeer("move-e2", "move-h3", "10.0.0.3", "02:42:0a:00:00:03", "192.0.2.23")),
                    List.of("192.0.2.23")));
            assertThat(meshOf("move-h3")).containsExactly(expected(net, vni,
                    List.of(new MeshPeer("move-e1", "move-h1", "10.0.0.2", "02:42:0a:00:00:02", "192.0.2.21")),
                    List.of("192.0.2.21")));
        });
    }

    @Test
    void aSilentHostGoesDownAndComesBackWhenItsHeartbeatsResume() {
        String net = newNetworkId();
        agents.start("down-h1", "192.0.2.31");
        agents.start("down-h2", "192.0.2.32");
        sender.send(overlayNetwork(net, 1, "demo", "10.0.0.0/24", "10.0.0.1"),
                endpoint("down-e1", 1, net, "down-h1", "10.0.0.2", "02:42:0a:00:00:02"),
                endpoint("down-e2", 1, net, "down-h2", "10.0.0.3", "02:42:0a:00:00:03"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(meshOf("down-h1")).singleElement()
                .satisfies(n -> assertThat(n.peers()).hasSize(1)));

        agents.silence("down-h2");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(meshOf("down-h1")).singleElement().satisfies(n -> {
                assertThat(n.peers()).isEmpty();
                assertThat(n.floodVteps()).isEmpty();
            });
            given().get("/v1/hosts/down-h2/mesh").then().statusCode(409).body("message", containsString("is down"));
        });

        agents.start("down-h2", "192.0.2.32");
        int vni = vniOf(net);
        await().atMost(WAIT).untilAsserted(() -> assertThat(meshOf("down-h1")).containsExactly(expected(net, vni,
                List.of(new MeshPeer("down-e2", "down-h2", "10.0.0.3", "02:42:0a:00:00:03", "192.0.2.32")),
                List.of("192.0.2.32"))));
    }

    @Test
    void theOpsApiShowsTheNetworkAndTheMeshAsPublished() {
        String net = newNetworkId();
        agents.start("ops-h1", "192.0.2.41");
        agents.start("ops-h2", "192.0.2.42");
        sender.send(overlayNetwork(net, 1, "demo", "10.0.0.0/24", "10.0.0.1"),
                endpoint("ops-e1", 1, net, "ops-h1", "10.0.0.2", "02:42:0a:00:00:02"),
                endpoint("ops-e2", 1, net, "ops-h2", "10.0.0.3", "02:42:0a:00:00:03"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(meshOf("ops-h2")).singleElement()
                .satisfies(n -> assertThat(n.peers()).hasSize(1)));

        var network = given().get("/v1/overlay/networks/" + net).then().statusCode(200).extract().jsonPath();
        assertThat(network.getList("hosts.hostId")).containsExactly("ops-h1", "ops-h2");
        assertThat(network.getList("endpoints.ipAddress")).containsExactly("10.0.0.2", "10.0.0.3");
        assertThat(network.getString("vxlanName")).isEqualTo(Names.vxlanDevice(network.getInt("vni"), net));

        await().atMost(WAIT).untilAsserted(() -> {
            OverlayMesh published = watcher.mesh("ops-h2").orElseThrow();
            var api = given().get("/v1/hosts/ops-h2/mesh").then().statusCode(200).extract().jsonPath();
            assertThat(api.getLong("revision")).isEqualTo(published.revision());
            assertThat(api.getString("vtepAddress")).isEqualTo("192.0.2.42");
            assertThat(api.getList("networks[0].peers.endpointId")).containsExactly("ops-e1");
        });
    }

    @Test
    void aMalformedEventGoesToTheDeadLetterTopicWithItsReasonAndTheServiceGoesOn() {
        String net = newNetworkId();
        var good = EventRecords.toRecord(overlayNetwork(net, 1, "demo", "10.0.0.0/24", "10.0.0.1"), "/netplane/test");
        var broken = new ProducerRecord<>(good.topic(), null, good.key(),
                "{\"networkId\": \"truncated".getBytes(StandardCharsets.UTF_8), good.headers());
        sender.sendRecord(broken);

        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (DeadLetters dead = new DeadLetters(bootstrap)) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(dead.reasonFor(net)).isPresent());
            assertThat(dead.reasonFor(net).orElseThrow()).isNotBlank();
        }
        given().get("/v1/overlay/networks/" + net).then().statusCode(404);

        agents.start("dlq-h1", "192.0.2.51");
        sender.send(overlayNetwork(net, 2, "demo", "10.0.0.0/24", "10.0.0.1"),
                endpoint("dlq-e1", 1, net, "dlq-h1", "10.0.0.2", "02:42:0a:00:00:02"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(meshOf("dlq-h1")).hasSize(1));
    }

    @Test
    void unknownNetworksAndHostsAreRefusedWithAMessage() {
        given().get("/v1/overlay/networks/nosuchnet").then().statusCode(404)
                .body("message", containsString("network nosuchnet not found"));
        given().get("/v1/hosts/nosuchhost/mesh").then().statusCode(404)
                .body("message", containsString("no heartbeat has been received"));
    }
}
