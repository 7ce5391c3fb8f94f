package io.netplane.overlay.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.events.model.MeshNetwork;
import io.netplane.events.model.MeshPeer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshModelTest {

    private final MeshModel model = new MeshModel();

    private void host(String id, String vtep, boolean up) {
        model.putHost(new HostEntry(id, 1, vtep, "test", Instant.EPOCH, up));
    }

    private void network(String id, int vni) {
        model.putNetwork(new NetworkEntry(id, 1, "demo", vni, "10.0.0.0/24", "10.0.0.1", 1450, "br-" + id, "vx-" + id));
    }

    private void endpoint(String id, String net, String host, String ip) {
        model.putEndpoint(new EndpointEntry(id, 1, net, host, ip, "02:42:0a:00:00:0" + ip.charAt(ip.length() - 1)));
    }

    @Test
    void vnisStartAt4096AndFillTheLowestGap() {
        assertThat(model.lowestFreeVni()).isEqualTo(4096);
        network("net-a", 4096);
        network("net-b", 4097);
        network("net-c", 4098);
        assertThat(model.lowestFreeVni()).isEqualTo(4099);
        model.removeNetwork("net-b", 2);
        assertThat(model.lowestFreeVni()).isEqualTo(4097);
    }

    @Test
    void meshHoldsRemoteEndpointsOfUpHostsOnly() {
        host("h1", "192.0.2.1", true);
        host("h2", "192.0.2.2", true);
        host("h3", "192.0.2.3", false);
        network("net-a", 4096);
        endpoint("e1", "net-a", "h1", "10.0.0.2");
        endpoint("e2", "net-a", "h2", "10.0.0.3");
        endpoint("e3", "net-a", "h3", "10.0.0.4");

        List<MeshNetwork> mesh = model.meshOf("h1");

        assertThat(mesh).hasSize(1);
        assertThat(mesh.get(0).peers()).containsExactly(
                new MeshPeer("e2", "h2", "10.0.0.3", "02:42:0a:00:00:03", "192.0.2.2"));
        assertThat(mesh.get(0).floodVteps()).containsExactly("192.0.2.2");
    }

    @Test
    void aHostLeavesANetworkWithItsLastEndpoint() {
        host("h1", "192.0.2.1", true);
        network("net-a", 4096);
        endpoint("e1", "net-a", "h1", "10.0.0.2");
        endpoint("e2", "net-a", "h1", "10.0.0.3");

        model.removeEndpoint("e1", 2);
        assertThat(model.hostsCarrying("net-a")).containsExactly("h1");
        model.removeEndpoint("e2", 2);
        assertThat(model.hostsCarrying("net-a")).isEmpty();
        assertThat(model.networksOf("h1")).isEmpty();
        assertThat(model.meshOf("h1")).isEmpty();
        assertThat(model.endpointRevision("e2")).isEqualTo(2);
    }

    @Test
    void aMovedEndpointIsReindexedUnderItsNewHost() {
        host("h1", "192.0.2.1", true);
        host("h2", "192.0.2.2", true);
        network("net-a", 4096);
        endpoint("e1", "net-a", "h1", "10.0.0.2");
        endpoint("e9", "net-a", "h2", "10.0.0.9");

        model.putEndpoint(new EndpointEntry("e1", 2, "net-a", "h2", "10.0.0.2", "02:42:0a:00:00:02"));

        assertThat(model.hostsCarrying("net-a")).containsExactly("h2");
        assertThat(model.meshOf("h1")).isEmpty();
        assertThat(model.meshOf("h2").get(0).peers()).isEmpty();
    }

    @Test
    void anEndpointBeforeItsNetworkShowsNothingUntilTheNetworkArrives() {
        host("h1", "192.0.2.1", true);
        host("h2", "192.0.2.2", true);
        endpoint("e1", "net-a", "h1", "10.0.0.2");
        endpoint("e2", "net-a", "h2", "10.0.0.3");
        assertThat(model.meshOf("h1")).isEmpty();

        network("net-a", 4096);
        assertThat(model.meshOf("h1")).extracting(MeshNetwork::vni).containsExactly(4096);
    }
}
