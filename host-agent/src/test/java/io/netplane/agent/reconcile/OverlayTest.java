package io.netplane.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.agent.firewall.Firewall;
import io.netplane.agent.firewall.IptablesRunner;
import io.netplane.agent.host.HostConfig;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.sandbox.SandboxFiles;
import io.netplane.agent.support.Events;
import io.netplane.agent.support.NamespaceLab;
import io.netplane.agent.support.Shell;
import io.netplane.events.ContainerCreated;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointStatus;
import io.netplane.events.Names;
import io.netplane.events.OverlayNetworkMesh;
import io.netplane.events.model.EndpointState;
import io.netplane.events.model.MeshEndpoint;
import io.netplane.events.model.MeshHost;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two simulated hosts (two named namespaces joined by an underlay veth on 192.0.2.0/24), one
 * agent each; their sandboxes on one overlay network ping each other across VXLAN.
 */
class OverlayTest {

    @RegisterExtension
    static final NamespaceLab LAB = new NamespaceLab();
    private String nsA;
    private String nsB;
    private Reconciler agentA;
    private Reconciler agentB;
    private DesiredStateStore storeA;
    private DesiredStateStore storeB;
    private String networkId;
    private ContainerCreated t1;
    private ContainerCreated t2;
    private EndpointAllocated e1;
    private EndpointAllocated e2;
    private String bridge;
    private String vxlan;

    @BeforeEach
    void twoHosts() {
        nsA = LAB.namespaces().create("hA");
        nsB = LAB.namespaces().create("hB");
        Shell.must("ip", "-n", nsA, "link", "add", "ul0", "type", "veth", "peer", "name", "ul0", "netns", nsB);
        Shell.must("ip", "-n", nsA, "addr", "add", "192.0.2.1/24", "dev", "ul0");
        Shell.must("ip", "-n", nsB, "addr", "add", "192.0.2.2/24", "dev", "ul0");
        Shell.must("ip", "-n", nsA, "link", "set", "ul0", "up");
        Shell.must("ip", "-n", nsB, "link", "set", "ul0", "up");
        String hostA = LAB.namespaces().name("a");
        String hostB = LAB.namespaces().name("b");
        agentA = agent(hostA, nsA, "192.0.2.1");
        agentB = agent(hostB, nsB, "192.0.2.2");
        storeA = new DesiredStateStore(hostA);
        storeB = new DesiredStateStore(hostB);

        networkId = Events.hexId();
        bridge = Names.bridgeDevice(networkId);
        vxlan = Names.vxlanDevice(4096, networkId);
        t1 = Events.container(Events.hexId(), "test1", hostA);
        t2 = Events.container(Events.hexId(), "test2", hostB);
        LAB.namespaces().adopt(t1.sandboxName());
        LAB.namespaces().adopt(t2.sandboxName());
        e1 = Events.endpoint(Events.hexId(), 1, t1, networkId, "demo", "overlay", "eth0", "10.0.0.2/24", "10.0.0.1",
                "02:42:0a:00:00:02", 1450, List.of());
        e2 = Events.endpoint(Events.hexId(), 1, t2, networkId, "demo", "overlay", "eth0", "10.0.0.3/24", "10.0.0.1",
                "02:42:0a:00:00:03", 1450, List.of());
        storeA.apply(t1);
        storeA.apply(e1);
        storeB.apply(t2);
        storeB.apply(e2);
        OverlayNetworkMesh both = mesh(1, new MeshHost(hostA, "192.0.2.1", true, List.of(
                new MeshEndpoint(e1.endpointId(), "10.0.0.2", "02:42:0a:00:00:02"))), carrierB(true));
        storeA.apply(both);
        storeB.apply(both);
    }

    private Reconciler agent(String hostId, String ns, String underlay) {
        return new Reconciler(new HostConfig(hostId, NamespaceManager.pathOf(ns), underlay, null), LAB.manager(),
                new SandboxFiles(), new Firewall(new IptablesRunner(30)));
    }

    private OverlayNetworkMesh mesh(long revision, MeshHost... hosts) {
        return new OverlayNetworkMesh(networkId, revision, Instant.now(), OverlayNetworkMesh.SCHEMA_VERSION, false,
                "demo", 4096, "10.0.0.0/24", "10.0.0.1", 1450, bridge, vxlan, List.of(hosts));
    }

    private MeshHost carrierB(boolean up) {
        return new MeshHost(e2.hostId(), "192.0.2.2", up, List.of(
                new MeshEndpoint(e2.endpointId(), "10.0.0.3", "02:42:0a:00:00:03")));
    }

    @AfterEach
    void tearDown() {
        for (Reconciler r : new Reconciler[] {agentA, agentB}) {
            if (r != null) {
                r.close();
            }
        }
    }

    @Test
    void sandboxesOnTwoHostsPingAcrossVxlan() {
        assertThat(agentA.reconcile(storeA.snapshot())).extracting(EndpointStatus::state)
                .containsExactly(EndpointState.APPLIED);
        assertThat(agentB.reconcile(storeB.snapshot())).extracting(EndpointStatus::state)
                .containsExactly(EndpointState.APPLIED);

        JsonNode vx = Shell.json("ip", "-n", nsA, "-j", "-d", "link", "show", "dev", vxlan).get(0);
        JsonNode data = vx.get("linkinfo").get("info_data");
        assertThat(data.get("id").asInt()).isEqualTo(4096);
        assertThat(data.get("local").asText()).isEqualTo("192.0.2.1");
        assertThat(data.get("port").asInt()).isEqualTo(4789);
        assertThat(data.get("learning").asBoolean()).isFalse();
        assertThat(vx.get("master").asText()).isEqualTo(bridge);
        assertThat(vx.get("mtu").asInt()).isEqualTo(1450);
        assertThat(Shell.must("bridge", "-n", nsA, "fdb", "show", "dev", vxlan))
                .contains("02:42:0a:00:00:03 dst 192.0.2.2 self permanent")
                .contains("00:00:00:00:00:00 dst 192.0.2.2 self permanent");
        assertThat(Shell.must("ip", "-n", nsA, "neigh", "show", "dev", bridge))
                .contains("10.0.0.3 lladdr 02:42:0a:00:00:03 PERMANENT");
        assertThat(Shell.json("ip", "-n", t1.sandboxName(), "-j", "link", "show", "dev", "eth0").get(0).get("mtu")
                .asInt()).isEqualTo(1450);

        assertThat(Shell.ping(t1.sandboxName(), "10.0.0.3")).isTrue();
        assertThat(Shell.ping(t2.sandboxName(), "10.0.0.2")).isTrue();
    }

    @Test
    void peerLeavingTheMeshIsUnprogrammed() {
        agentA.reconcile(storeA.snapshot());
        agentB.reconcile(storeB.snapshot());
        assertThat(Shell.ping(t1.sandboxName(), "10.0.0.3")).isTrue();

        storeA.apply(mesh(2, new MeshHost(t1.hostId(), "192.0.2.1", true, List.of(
                new MeshEndpoint(e1.endpointId(), "10.0.0.2", "02:42:0a:00:00:02"))), carrierB(false)));
        agentA.reconcile(storeA.snapshot());

        assertThat(Shell.must("bridge", "-n", nsA, "fdb", "show", "dev", vxlan)).doesNotContain("192.0.2.2");
        assertThat(Shell.must("ip", "-n", nsA, "neigh", "show", "dev", bridge)).doesNotContain("10.0.0.3 ");
        assertThat(Shell.ping(t1.sandboxName(), "10.0.0.3")).isFalse();
    }

    @Test
    void fdbEntryRemovedByHandComesBack() {
        agentA.reconcile(storeA.snapshot());
        agentB.reconcile(storeB.snapshot());
        Shell.must("bridge", "-n", nsA, "fdb", "del", "00:00:00:00:00:00", "dev", vxlan, "dst", "192.0.2.2");
        Shell.must("bridge", "-n", nsA, "fdb", "del", "02:42:0a:00:00:03", "dev", vxlan, "dst", "192.0.2.2");

        agentA.reconcile(storeA.snapshot());

        assertThat(Shell.must("bridge", "-n", nsA, "fdb", "show", "dev", vxlan))
                .contains("02:42:0a:00:00:03 dst 192.0.2.2 self permanent")
                .contains("00:00:00:00:00:00 dst 192.0.2.2 self permanent");
        assertThat(Shell.ping(t1.sandboxName(), "10.0.0.3")).isTrue();
    }
}
