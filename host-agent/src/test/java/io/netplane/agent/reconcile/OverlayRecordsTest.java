package io.netplane.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.events.OverlayMesh;
import io.netplane.events.OverlayNetworkMesh;
import io.netplane.events.model.MeshEndpoint;
import io.netplane.events.model.MeshHost;
import io.netplane.events.model.MeshNetwork;
import io.netplane.events.model.MeshPeer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The mesh a host programs, derived from the overlay networks' records, is what the whole mesh
 * of the host said (peers as neighbour and FDB entries, flood VTEPs), through endpoints coming and
 * going, hosts joining, leaving and going down, a network removed, and after a replay of the
 * compacted topic.
 */
class OverlayRecordsTest {

    static final String NET = "a1".repeat(32);
    static final String OTHER = "b2".repeat(32);
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    final DesiredStateStore h1 = new DesiredStateStore("h1");
    /** The compacted topic: the newest record per network. */
    final Map<String, OverlayNetworkMesh> topic = new LinkedHashMap<>();

    static OverlayNetworkMesh record(String net, long revision, MeshHost... hosts) {
        return new OverlayNetworkMesh(net, revision, T, OverlayNetworkMesh.SCHEMA_VERSION, false, "demo", 4096,
                "10.0.0.0/24", "10.0.0.1", 1450, "br-" + net.substring(0, 12), "vx-001000-" + net.substring(0, 5),
                List.of(hosts));
    }

    static MeshHost host(String id, String vtep, boolean up, MeshEndpoint... endpoints) {
        return new MeshHost(id, vtep, up, List.of(endpoints));
    }

    static MeshEndpoint ep(String id, String ip, String mac) {
        return new MeshEndpoint(id, ip, mac);
    }

    static MeshNetwork expected(String net, List<MeshPeer> peers, List<String> flood) {
        return new MeshNetwork(net, "demo", 4096, "10.0.0.0/24", "10.0.0.1", 1450, "br-" + net.substring(0, 12),
                "vx-001000-" + net.substring(0, 5), peers, flood);
    }

    static final MeshHost H1 = host("h1", "192.0.2.1", true, ep("e1", "10.0.0.2", "02:42:0a:00:00:02"));
    static final MeshEndpoint E2 = ep("e2", "10.0.0.3", "02:42:0a:00:00:03");
    static final MeshEndpoint E4 = ep("e4", "10.0.0.4", "02:42:0a:00:00:04");
    static final MeshPeer P2 = new MeshPeer("e2", "h2", "10.0.0.3", "02:42:0a:00:00:03", "192.0.2.2");
    static final MeshPeer P4 = new MeshPeer("e4", "h2", "10.0.0.4", "02:42:0a:00:00:04", "192.0.2.2");

    void publish(OverlayNetworkMesh r) {
        topic.put(r.networkId(), r);
        h1.apply(r);
    }

    List<MeshNetwork> mesh() {
        return h1.snapshot().mesh().networks();
    }

    @Test
    void endpointsComingAndGoingOnAnotherHostAreItsPeers() {
        publish(record(NET, 1, H1, host("h2", "192.0.2.2", true, E2)));
        assertThat(h1.snapshot().mesh().vtepAddress()).isEqualTo("192.0.2.1");
        assertThat(mesh()).containsExactly(expected(NET, List.of(P2), List.of("192.0.2.2")));

        publish(record(NET, 2, H1, host("h2", "192.0.2.2", true, E2, E4)));
        assertThat(mesh()).containsExactly(expected(NET, List.of(P2, P4), List.of("192.0.2.2")));

        publish(record(NET, 3, H1, host("h2", "192.0.2.2", true, E4)));
        assertThat(mesh()).containsExactly(expected(NET, List.of(P4), List.of("192.0.2.2")));
    }

    @Test
    void anEndpointWithoutAddressMakesItsHostAFloodTargetButNoPeer() {
        publish(record(NET, 1, H1, host("h2", "192.0.2.2", true, ep("e2", null, null))));
        assertThat(mesh()).containsExactly(expected(NET, List.of(), List.of("192.0.2.2")));
    }

    @Test
    void hostsJoiningLeavingAndGoingDown() {
        publish(record(NET, 1, H1, host("h2", "192.0.2.2", true, E2)));
        publish(record(NET, 2, H1, host("h2", "192.0.2.2", true, E2),
                host("h3", "192.0.2.3", true, ep("e3", "10.0.0.5", "02:42:0a:00:00:05"))));
        assertThat(mesh()).containsExactly(expected(NET, List.of(P2,
                new MeshPeer("e3", "h3", "10.0.0.5", "02:42:0a:00:00:05", "192.0.2.3")),
                List.of("192.0.2.2", "192.0.2.3")));

        publish(record(NET, 3, H1, host("h2", "192.0.2.2", false, E2)));
        assertThat(mesh()).as("h3 left, h2 is down").containsExactly(expected(NET, List.of(), List.of()));

        publish(record(NET, 4, host("h2", "192.0.2.2", true, E2)));
        assertThat(mesh()).as("h1 itself left the network").isEmpty();
    }

    @Test
    void aNetworkTheHostDoesNotCarryIsNotInItsMeshUntilItJoins() {
        publish(record(NET, 1, H1, host("h2", "192.0.2.2", true, E2)));
        publish(record(OTHER, 1, host("h2", "192.0.2.2", true, ep("x2", "10.0.1.2", "02:42:0a:00:01:02"))));
        assertThat(mesh()).extracting(MeshNetwork::networkId).containsExactly(NET);

        publish(record(OTHER, 2, host("h1", "192.0.2.1", true, ep("x1", "10.0.1.3", "02:42:0a:00:01:03")),
                host("h2", "192.0.2.2", true, ep("x2", "10.0.1.2", "02:42:0a:00:01:02"))));
        assertThat(mesh()).extracting(MeshNetwork::networkId).containsExactly(NET, OTHER);
    }

    @Test
    void aRemovedNetworkLeavesTheMeshAndAStaleRecordCannotBringItBack() {
        publish(record(NET, 1, H1, host("h2", "192.0.2.2", true, E2)));
        publish(OverlayNetworkMesh.removed(NET, 2, T));
        assertThat(h1.snapshot().mesh()).as("known empty, not unknown").isNotNull();
        assertThat(mesh()).isEmpty();

        assertThat(h1.apply(record(NET, 1, H1, host("h2", "192.0.2.2", true, E2)))).isFalse();
        assertThat(mesh()).isEmpty();
    }

    @Test
    void replayingTheCompactedTopicGivesTheSameMesh() {
        publish(record(NET, 1, H1, host("h2", "192.0.2.2", true, E2)));
        publish(record(OTHER, 1, host("h1", "192.0.2.1", true, ep("x1", "10.0.1.3", "02:42:0a:00:01:03")),
                host("h2", "192.0.2.2", true, ep("x2", "10.0.1.2", "02:42:0a:00:01:02"))));
        publish(record(NET, 2, H1, host("h2", "192.0.2.2", true, E2, E4)));
        publish(OverlayNetworkMesh.removed(OTHER, 2, T));
        OverlayMesh live = h1.snapshot().mesh();

        DesiredStateStore restarted = new DesiredStateStore("h1");
        List<OverlayNetworkMesh> compacted = new ArrayList<>(topic.values());
        Collections.reverse(compacted); // partitions give no order across keys
        compacted.forEach(restarted::apply);

        assertThat(restarted.snapshot().mesh()).isEqualTo(live);
        assertThat(live.networks()).containsExactly(expected(NET, List.of(P2, P4), List.of("192.0.2.2")));
    }

    @Test
    void noMeshBeforeAnyOverlayRecord() {
        assertThat(h1.snapshot().mesh()).isNull();
    }
}
