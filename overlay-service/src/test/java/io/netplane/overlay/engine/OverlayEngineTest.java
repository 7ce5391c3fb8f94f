package io.netplane.overlay.engine;

import static io.netplane.overlay.engine.Events.endpoint;
import static io.netplane.overlay.engine.Events.heartbeat;
import static io.netplane.overlay.engine.Events.left;
import static io.netplane.overlay.engine.Events.network;
import static io.netplane.overlay.engine.Events.networkRemoved;
import static io.netplane.overlay.engine.Events.overlayNetwork;
import static io.netplane.overlay.engine.Events.released;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.events.OverlayMesh;
import io.netplane.events.OverlayNetworkMesh;
import io.netplane.events.model.MeshNetwork;
import io.netplane.events.model.MeshPeer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine against the real PostgreSQL: membership, moves, hosts down and back, restart. */
class OverlayEngineTest {

    static final String NET = "a1b2c3d4e5f6" + "0".repeat(52);
    static final String NET2 = "f6e5d4c3b2a1" + "0".repeat(52);
    static final String VX = "vx-001000-a1b2c";

    EngineHarness h;

    @BeforeEach
    void start() {
        h = new EngineHarness("overlay_engine_test");
    }

    @AfterEach
    void stop() throws SQLException {
        h.close();
    }

    static MeshNetwork demo(List<MeshPeer> peers, List<String> flood) {
        return new MeshNetwork(NET, "demo", 4096, "10.0.0.0/24", "10.0.0.1", 1450, "br-a1b2c3d4e5f6", VX, peers,
                flood);
    }

    static MeshPeer peer(String ep, String host, String ip, String mac, String vtep) {
        return new MeshPeer(ep, host, ip, mac, vtep);
    }

    void twoHostsOnDemo() throws SQLException {
        h.apply(heartbeat("h1", 1, "192.0.2.1"), heartbeat("h2", 1, "192.0.2.2"),
                overlayNetwork(NET, 1, "demo", "10.0.0.0/24", "10.0.0.1"),
                endpoint("e1", 1, NET, "h1", "10.0.0.2", "02:42:0a:00:00:02"),
                endpoint("e2", 1, NET, "h2", "10.0.0.3", "02:42:0a:00:00:03"));
    }

    @Test
    void twoHostsSeeEachOthersEndpointsAndFloodToEachOther() throws SQLException {
        twoHostsOnDemo();

        OverlayMesh m1 = h.mesh("h1");
        assertThat(m1.vtepAddress()).isEqualTo("192.0.2.1");
        assertThat(m1.networks()).containsExactly(
                demo(List.of(peer("e2", "h2", "10.0.0.3", "02:42:0a:00:00:03", "192.0.2.2")), List.of("192.0.2.2")));
        assertThat(h.mesh("h2").networks()).containsExactly(
                demo(List.of(peer("e1", "h1", "10.0.0.2", "02:42:0a:00:00:02", "192.0.2.1")), List.of("192.0.2.1")));
    }

    @Test
    void aThirdHostJoinsAndLeavesWithItsEndpoint() throws SQLException {
        twoHostsOnDemo();
        h.apply(heartbeat("h3", 1, "192.0.2.3"));

        List<OverlayNetworkMesh> joined = h.apply(endpoint("e3", 1, NET, "h3", "10.0.0.4", "02:42:0a:00:00:04"));
        assertThat(joined).extracting(OverlayNetworkMesh::networkId).containsExactly(NET);
        assertThat(h.mesh("h3").networks()).containsExactly(demo(List.of(
                peer("e1", "h1", "10.0.0.2", "02:42:0a:00:00:02", "192.0.2.1"),
                peer("e2", "h2", "10.0.0.3", "02:42:0a:00:00:03", "192.0.2.2")), List.of("192.0.2.1", "192.0.2.2")));
        assertThat(h.mesh("h1").networks().get(0).floodVteps()).containsExactly("192.0.2.2", "192.0.2.3");

        List<OverlayNetworkMesh> leftNet = h.apply(released("e3", 2, NET, "h3"));
        assertThat(leftNet).extracting(OverlayNetworkMesh::networkId).containsExactly(NET);
        assertThat(h.mesh("h3").networks()).isEmpty();
        assertThat(h.mesh("h1").networks()).containsExactly(
                demo(List.of(peer("e2", "h2", "10.0.0.3", "02:42:0a:00:00:03", "192.0.2.2")), List.of("192.0.2.2")));
    }

    @Test
    void onlyTheChangedNetworksRecordIsPublished() throws SQLException {
        twoHostsOnDemo();
        h.apply(heartbeat("h3", 1, "192.0.2.3"), heartbeat("h4", 1, "192.0.2.4"),
                overlayNetwork(NET2, 1, "other", "10.0.1.0/24", "10.0.1.1"),
                endpoint("x3", 1, NET2, "h3", "10.0.1.2", "02:42:0a:00:01:02"));

        List<OverlayNetworkMesh> changed = h.apply(endpoint("x4", 1, NET2, "h4", "10.0.1.3", "02:42:0a:00:01:03"));

        assertThat(changed).extracting(OverlayNetworkMesh::networkId).containsExactly(NET2);
        assertThat(h.mesh("h4").networks()).extracting(MeshNetwork::vni).containsExactly(4097);
    }

    @Test
    void anEndpointThatMovesHostLeavesTheOldHostAndJoinsTheNew() throws SQLException {
        twoHostsOnDemo();
        h.apply(heartbeat("h3", 1, "192.0.2.3"));

        List<OverlayNetworkMesh> moved = h.apply(endpoint("e2", 2, NET, "h3", "10.0.0.3", "02:42:0a:00:00:03"));

        assertThat(moved).extracting(OverlayNetworkMesh::networkId).containsExactly(NET);
        assertThat(h.mesh("h2").networks()).isEmpty();
        assertThat(h.mesh("h1").networks()).containsExactly(
                demo(List.of(peer("e2", "h3", "10.0.0.3", "02:42:0a:00:00:03", "192.0.2.3")), List.of("192.0.2.3")));
    }

    @Test
    void anEndpointThatMovesNetworkChangesBothNetworksRecords() throws SQLException {
        twoHostsOnDemo();
        h.apply(overlayNetwork(NET2, 1, "other", "10.0.1.0/24", "10.0.1.1"),
                endpoint("x1", 1, NET2, "h1", "10.0.1.2", "02:42:0a:00:01:02"));

        List<OverlayNetworkMesh> moved = h.apply(endpoint("e2", 2, NET2, "h2", "10.0.1.3", "02:42:0a:00:01:03"));

        assertThat(moved).extracting(OverlayNetworkMesh::networkId).containsExactly(NET, NET2);
        assertThat(h.mesh("h2").networks()).extracting(MeshNetwork::networkId).containsExactly(NET2);
        assertThat(h.mesh("h1").networks()).extracting(n -> n.peers().size()).containsExactly(0, 1);
    }

    @Test
    void aSilentHostGoesDownAndComesBackWithItsHeartbeats() throws SQLException {
        twoHostsOnDemo();
        h.clock.advance(Duration.ofSeconds(20));
        h.apply(heartbeat("h1", 2, "192.0.2.1"));
        h.clock.advance(Duration.ofSeconds(20));

        List<OverlayNetworkMesh> afterSweep = h.sweep();
        assertThat(afterSweep).extracting(OverlayNetworkMesh::networkId).containsExactly(NET);
        assertThat(h.mesh("h1").networks()).containsExactly(demo(List.of(), List.of()));

        List<OverlayNetworkMesh> back = h.apply(heartbeat("h2", 2, "192.0.2.2"));
        assertThat(back).extracting(OverlayNetworkMesh::networkId).containsExactly(NET);
        assertThat(h.mesh("h1").networks()).containsExactly(
                demo(List.of(peer("e2", "h2", "10.0.0.3", "02:42:0a:00:00:03", "192.0.2.2")), List.of("192.0.2.2")));
    }

    @Test
    void aHostThatLeavesCleanlyIsTakenOutOfItsNeighboursMeshes() throws SQLException {
        twoHostsOnDemo();
        List<OverlayNetworkMesh> after = h.apply(left("h2", 2));
        assertThat(after).extracting(OverlayNetworkMesh::networkId).containsExactly(NET);
        assertThat(h.mesh("h1").networks().get(0).peers()).isEmpty();
        assertThat(h.apply(heartbeat("h2", 1, "192.0.2.2"))).as("older heartbeat than the leave").isEmpty();
    }

    @Test
    void steadyHeartbeatsAndStaleOrForeignEventsPublishNothing() throws SQLException {
        twoHostsOnDemo();
        assertThat(h.apply(heartbeat("h1", 5, "192.0.2.1"))).isEmpty();
        assertThat(h.apply(endpoint("e1", 1, NET, "h1", "10.0.0.9", "02:42:0a:00:00:09"))).isEmpty();
        String bridge = "b0b0b0b0b0b0" + "0".repeat(52);
        assertThat(h.apply(network(bridge, 1, "br", "bridge", "172.18.0.0/16", "172.18.0.1", 1500))).isEmpty();
        assertThat(h.apply(endpoint("b1", 1, bridge, "bridge", "h1", "172.18.0.2", "02:42:ac:12:00:02")))
                .isEmpty();
    }

    @Test
    void aRemovedNetworkGivesItsVniBackAndLeavesEveryMesh() throws SQLException {
        twoHostsOnDemo();
        List<OverlayNetworkMesh> after = h.apply(networkRemoved(NET, 2));
        assertThat(after).extracting(OverlayNetworkMesh::removed).containsExactly(true);
        assertThat(h.mesh("h1").networks()).isEmpty();
        assertThat(h.apply(overlayNetwork(NET, 1, "demo", "10.0.0.0/24", "10.0.0.1"))).as("stale re-creation")
                .isEmpty();
        assertThat(h.apply(released("e1", 2, NET, "h1"))).as("an endpoint released after its network").isEmpty();

        h.apply(overlayNetwork(NET2, 1, "other", "10.0.1.0/24", "10.0.1.1"));
        assertThat(vnis()).containsExactly(4096);
    }

    @Test
    void theNetworkMtuOptionIsCarriedAndTheDefaultIs1450() throws SQLException {
        twoHostsOnDemo();
        h.apply(network(NET, 2, "demo", "overlay", "10.0.0.0/24", "10.0.0.1", 1400));
        assertThat(h.mesh("h1").networks().get(0).mtu()).isEqualTo(1400);
        assertThat(h.mesh("h1").networks().get(0).vni()).as("VNI kept on update").isEqualTo(4096);
    }

    @Test
    void aRestartedEngineReadsTheDatabaseAndContinuesTheRevisions() throws SQLException {
        twoHostsOnDemo();
        long before = h.mesh("h1").revision();

        h.restart();
        h.apply(heartbeat("h3", 1, "192.0.2.3"), endpoint("e3", 1, NET, "h3", "10.0.0.4", "02:42:0a:00:00:04"));

        assertThat(h.mesh("h1").revision()).isGreaterThan(before);
        assertThat(h.mesh("h1").networks().get(0).peers()).extracting(MeshPeer::endpointId)
                .containsExactly("e2", "e3");
        assertThat(h.mesh("h3").networks().get(0).vni()).isEqualTo(4096);
    }

    @Test
    void aFailedTransactionLeavesNoTraceInTheNextMesh() throws SQLException {
        twoHostsOnDemo();
        try {
            h.inTx(c -> {
                h.engine.apply(c, endpoint("e9", 1, NET, "h2", "10.0.0.9", "02:42:0a:00:00:09"));
                throw new SQLException("simulated commit failure");
            });
        } catch (SQLException expected) {
            // rolled back
        }
        h.apply(heartbeat("h3", 1, "192.0.2.3"), endpoint("e3", 1, NET, "h3", "10.0.0.4", "02:42:0a:00:00:04"));
        assertThat(h.mesh("h1").networks().get(0).peers()).extracting(MeshPeer::endpointId)
                .containsExactly("e2", "e3");
    }

    private List<Integer> vnis() throws SQLException {
        try (Connection c = h.ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select vni from " + h.schema + ".networks where vni is not null")) {
            List<Integer> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
            return out;
        }
    }
}
