package io.netplane.overlay;

import static io.netplane.overlay.engine.Events.endpoint;
import static io.netplane.overlay.engine.Events.heartbeat;
import static io.netplane.overlay.engine.Events.overlayNetwork;
import static io.netplane.overlay.engine.Events.released;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.OverlayMesh;
import io.netplane.events.kafka.KafkaClientProperties;
import io.netplane.events.model.MeshNetwork;
import io.netplane.localcluster.LocalCluster;
import io.netplane.overlay.kafka.EventSender;
import io.netplane.overlay.kafka.MeshWatcher;
import io.netplane.overlay.standalone.StandaloneOverlay;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The overlay core as plain classes on the real broker and database, stopped mid-stream and
 * started again on the same schema and consumer group: the meshes it then publishes must equal
 * those of an uninterrupted run (the engine fed the same events directly), and no host's mesh
 * revision may go back.
 */
class StandaloneRestartTest {

    static final String SCHEMA = "overlay_restart_test";
    static final String SOURCE = "/netplane/overlay-restart-test";
    final LocalCluster cluster = LocalCluster.shared();
    final String run = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void dropSchema() throws Exception {
        try (Connection c = cluster.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + SCHEMA + " cascade");
        }
    }

    String host(int i) {
        return "rs" + run + "-h" + i;
    }

    String net(int i) {
        return (i + run + "0".repeat(64)).substring(0, 64);
    }

    /** Three phases: before the stop, while nothing runs, after the new start. */
    List<List<NetplaneEvent>> phases() {
        List<NetplaneEvent> before = new ArrayList<>();
        for (int h = 1; h <= 3; h++) {
            before.add(heartbeat(host(h), 1, "198.51.100." + h));
        }
        before.add(overlayNetwork(net(1), 1, "demo", "10.0.0.0/24", "10.0.0.1"));
        before.add(overlayNetwork(net(2), 1, "other", "10.0.1.0/24", "10.0.1.1"));
        for (int e = 1; e <= 12; e++) {
            before.add(endpoint(ep(e), 1, net(1 + e % 2), host(1 + e % 3), ip(e), mac(e)));
        }
        List<NetplaneEvent> whileStopped = new ArrayList<>();
        for (int e = 1; e <= 4; e++) {
            whileStopped.add(endpoint(ep(e), 2, net(1 + e % 2), host(1 + (e + 1) % 3), ip(e), mac(e)));
        }
        whileStopped.add(released(ep(5), 2, net(2), host(3)));
        List<NetplaneEvent> after = new ArrayList<>();
        for (int e = 13; e <= 16; e++) {
            after.add(endpoint(ep(e), 1, net(1), host(1 + e % 3), ip(e), mac(e)));
        }
        after.add(released(ep(6), 2, net(1), host(1)));
        return List.of(before, whileStopped, after);
    }

    String ep(int e) {
        return "rs" + run + "-e" + e;
    }

    static String ip(int e) {
        return "10.0." + (e % 2) + "." + (10 + e);
    }

    static String mac(int e) {
        return String.format("02:42:0a:00:%02x:%02x", e % 2, 10 + e);
    }

    StandaloneOverlay service(String group) throws Exception {
        return new StandaloneOverlay(cluster.dataSource(), SCHEMA, KafkaClientProperties.plaintext(cluster.kafkaBootstrap()), group, SOURCE,
                Duration.ofHours(1), Duration.ofSeconds(5));
    }

    @Test
    void meshesConvergeAfterARestartMidStream() throws Exception {
        List<List<NetplaneEvent>> phases = phases();
        String group = "overlay-restart-" + run;
        try (EventSender sender = new EventSender(cluster.kafkaBootstrap());
                MeshWatcher watcher = new MeshWatcher(cluster.kafkaBootstrap(), SOURCE)) {
            try (StandaloneOverlay first = service(group)) {
                phases.get(0).forEach(sender::send);
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> first.consumer().handled() >= phases.get(0).size());
                await().atMost(Duration.ofSeconds(90)).until(() -> watcher.mesh(host(1)).isPresent());
            }
            phases.get(1).forEach(sender::send);
            try (StandaloneOverlay second = service(group)) {
                phases.get(2).forEach(sender::send);

                List<OverlayMesh> reference = uninterrupted(phases);
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    java.util.Map<String, Integer> vniOfNetwork = new java.util.HashMap<>();
                    for (OverlayMesh want : reference) {
                        OverlayMesh got = watcher.mesh(want.hostId()).orElseThrow();
                        assertThat(got.vtepAddress()).isEqualTo(want.vtepAddress());
                        // Which network was seen first (and got 4096) depends on the order across the
                        // networks topic's partitions, so VNIs are compared for consistency, not value.
                        assertThat(withoutVni(got.networks())).as(want.hostId()).isEqualTo(withoutVni(want.networks()));
                        for (MeshNetwork n : got.networks()) {
                            assertThat(n.vni()).isGreaterThanOrEqualTo(4096);
                            assertThat(n.vxlanName()).isEqualTo(io.netplane.events.Names.vxlanDevice(n.vni(), n.networkId()));
                            Integer seen = vniOfNetwork.putIfAbsent(n.networkId(), n.vni());
                            assertThat(seen == null ? n.vni() : seen).as("one VNI per network on every host").isEqualTo(n.vni());
                        }
                    }
                    assertThat(new java.util.HashSet<>(vniOfNetwork.values())).hasSameSizeAs(vniOfNetwork.values());
                });
            }
            assertThat(watcher.regressions()).isEmpty();
            assertThat(watcher.mesh(host(1)).orElseThrow().networks()).isNotEmpty();
        }
    }

    private static List<MeshNetwork> withoutVni(List<MeshNetwork> networks) {
        return networks.stream().map(n -> new MeshNetwork(n.networkId(), n.networkName(), 0, n.subnet(), n.gateway(),
                n.mtu(), n.bridgeName(), null, n.peers(), n.floodVteps())).toList();
    }

    /** The newest mesh per host when the same events go straight into a fresh engine. */
    private List<OverlayMesh> uninterrupted(List<List<NetplaneEvent>> phases) throws Exception {
        try (var reference = new io.netplane.overlay.engine.ReferenceRun("overlay_restart_ref")) {
            for (List<NetplaneEvent> phase : phases) {
                reference.apply(phase);
            }
            List<OverlayMesh> out = new ArrayList<>();
            for (int h = 1; h <= 3; h++) {
                out.add(reference.published(host(h)));
            }
            return out;
        }
    }
}
