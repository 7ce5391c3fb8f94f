package io.netplane.console.view;

import static io.netplane.console.support.Made.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.console.model.Topology;
import io.netplane.console.support.Made;
import io.netplane.events.ContainerCreated;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.NatRuleset;
import io.netplane.events.NetworkCreated;
import io.netplane.events.OverlayNetworkMesh;
import io.netplane.events.model.EndpointState;
import io.netplane.events.model.MeshEndpoint;
import io.netplane.events.model.MeshHost;
import io.netplane.events.model.PortSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyViewTest {

    private final Topology topology = new Topology();
    private final NetworkCreated front = Made.network("n1", "front", "172.18.0.0/16", at(1));
    private final ContainerCreated web = Made.container("c1", "web", "h1", at(2));
    private final EndpointAllocated webOnFront = Made.endpoint("e1", web, front, "172.18.0.2/16", at(2),
            new PortSpec(null, 8080, null, 80, null, "tcp"), new PortSpec("127.0.0.1", null, null, 53, null, "udp"));

    @Test
    void anEndpointIsPendingUntilTheAgentReportsOnItsRevision() {
        topology.apply(front);
        topology.apply(web);
        topology.apply(webOnFront);
        assertThat(view().endpoints()).extracting(TopologyView.EndpointRow::status).containsExactly("pending");

        topology.apply(Made.status(webOnFront, 1, EndpointState.APPLIED, at(3)));
        assertThat(view().endpoints()).extracting(TopologyView.EndpointRow::status).containsExactly("applied");

        EndpointAllocated moved = new EndpointAllocated("e1", 2, at(4), 1, "c1", "web", "web", "h1", "create",
                "h1-web", "n1", "front", "bridge", "eth0", "02:42:ac:12:00:03", "172.18.0.3/16", null, null, 1500,
                List.of(), List.of(), List.of(), true, false, List.of(), List.of(), false);
        topology.apply(moved);
        assertThat(view().endpoints()).as("the report was on revision 1")
                .extracting(TopologyView.EndpointRow::status).containsExactly("pending");

        topology.apply(Made.status(moved, 2, EndpointState.FAILED, at(5)));
        assertThat(view().endpoints()).extracting(r -> r.status() + ": " + r.error())
                .containsExactly("failed: no such bridge");
    }

    @Test
    void networksSpanTheHostsOfTheirEndpointsAndMeshes() {
        topology.apply(front);
        topology.apply(webOnFront);
        topology.apply(new OverlayNetworkMesh("n1", 1, at(3), 1, false, "front", 4096, "172.18.0.0/16", "172.18.0.1",
                1450, "br-n1", "vx-n1", List.of(
                        new MeshHost("h1", "192.0.2.1", true, List.of(new MeshEndpoint("e1", "172.18.0.2",
                                "02:42:ac:12:00:02"))),
                        new MeshHost("h3", "192.0.2.3", true, List.of(new MeshEndpoint("e3", "172.18.0.3",
                                "02:42:ac:12:00:03"))))));

        assertThat(view().networks()).singleElement().satisfies(n -> {
            assertThat(n.hosts()).containsExactly("h1", "h3");
            assertThat(n.subnets()).containsExactly("172.18.0.0/16");
            assertThat(n.driver()).isEqualTo("bridge");
        });
        assertThat(view().mesh()).extracting(TopologyView.MeshRow::vni).containsOnly(4096);
        assertThat(view().mesh()).extracting(m -> m.host() + ": " + m.peers()).containsExactly(
                "h1: [172.18.0.3 on h3 via 192.0.2.3]", "h3: [172.18.0.2 on h1 via 192.0.2.1]");
    }

    @Test
    void publishedPortsAreListedPerHostWithTheRulesetsDnatCount() {
        topology.apply(webOnFront);
        topology.apply(new NatRuleset("h1", 4, at(3), 1,
                "*nat\n-A NETPLANE-DNAT -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80\nCOMMIT\n",
                List.of(), List.of()));

        assertThat(view().ports()).extracting(TopologyView.PortRow::port)
                .containsExactly("8080 -> 80/tcp", "127.0.0.1:any -> 53/udp");
        assertThat(view().rulesets()).singleElement().satisfies(r -> {
            assertThat(r.revision()).isEqualTo(4);
            assertThat(r.dnatRules()).isEqualTo(1);
        });
    }

    @Test
    void aContainerWithoutEndpointsStillHasARow() {
        topology.apply(web);

        assertThat(view().endpoints()).singleElement().satisfies(r -> {
            assertThat(r.container()).isEqualTo("web");
            assertThat(r.status()).isEqualTo("no endpoint");
        });
    }

    private TopologyView view() {
        return TopologyView.of(topology, at(10), true);
    }
}
