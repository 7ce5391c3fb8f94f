package io.netplane.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.agent.firewall.Firewall;
import io.netplane.agent.firewall.IptablesRunner;
import io.netplane.agent.host.HostConfig;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.reconcile.DesiredStateStore;
import io.netplane.agent.reconcile.Ownership;
import io.netplane.agent.reconcile.Reconciler;
import io.netplane.agent.sandbox.SandboxFiles;
import io.netplane.agent.support.Events;
import io.netplane.agent.support.NamespaceLab;
import io.netplane.agent.support.Shell;
import io.netplane.events.ContainerCreated;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointStatus;
import io.netplane.events.Names;
import io.netplane.events.NetworkCreated;
import io.netplane.events.model.EndpointState;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An endpoint whose sandbox Docker owns, in the kernel: the plugin's veth pair, its far side moved
 * into "Docker's" namespace as dockerd does it, and the reconciler making the host side a port of
 * the network's bridge, so it reaches a container netplane made on the same network.
 */
class DockerEndpointBridgingTest {

    @RegisterExtension
    static final NamespaceLab LAB = new NamespaceLab();
    private String hostNs;
    private String dockerSandbox;
    private HostConfig config;
    private Reconciler reconciler;
    private DesiredStateStore store;
    private final Set<String> pluginVeths = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void setUp() {
        hostNs = LAB.namespaces().create("host");
        dockerSandbox = LAB.namespaces().create("dkr");
        config = new HostConfig(LAB.namespaces().name("h"), NamespaceManager.pathOf(hostNs), "192.0.2.1", null);
        reconciler = new Reconciler(config, LAB.manager(), new SandboxFiles(), new Firewall(new IptablesRunner(30)));
        reconciler.keepEngineVeths(() -> Set.copyOf(pluginVeths));
        store = new DesiredStateStore(config.hostId());
    }

    @AfterEach
    void tearDown() {
        if (reconciler != null) {
            reconciler.close();
        }
    }

    private static ContainerCreated dockers(String id, String name, String hostId) {
        return new ContainerCreated(id, 1, Instant.now(), ContainerCreated.SCHEMA_VERSION, name, Names.shortId(id),
                hostId, Names.RUNTIME_SANDBOX, null, "default", List.of(), List.of(), false, Instant.now());
    }

    private String status(List<EndpointStatus> reports, String endpointId) {
        return reports.stream().filter(r -> r.endpointId().equals(endpointId)).map(r -> r.state().toString())
                .findFirst().orElse("none");
    }

    @Test
    void dockersEndpointIsBridgedOnceItsVethExistsAndItsNamespaceIsLeftToDocker() {
        NetworkCreated net = Events.bridgeNetwork(Events.hexId(), "web", "10.88.0.0/24", "10.88.0.1");
        ContainerCreated ours = Events.container(Events.hexId(), "own1", config.hostId());
        LAB.namespaces().adopt(ours.sandboxName());
        ContainerCreated theirs = dockers(Events.hexId(), "docker-ep-0123456789ab", config.hostId());
        EndpointAllocated own = Events.endpoint(Events.hexId(), 1, ours, net, "eth0", "10.88.0.2/24",
                "02:42:0a:58:00:02", 1500, List.of());
        EndpointAllocated docker = Events.endpoint(Events.hexId(), 1, theirs, net, "eth0", "10.88.0.3/24",
                "02:42:0a:58:00:03", 1500, List.of());
        for (var e : List.of(net, ours, theirs, own, docker)) {
            store.apply(e);
        }

        List<EndpointStatus> first = reconciler.reconcile(store.snapshot());
        assertThat(status(first, own.endpointId())).isEqualTo(EndpointState.APPLIED.toString());
        assertThat(status(first, docker.endpointId())).as("no veth yet: nothing to report").isEqualTo("none");
        assertThat(LAB.manager().list()).as("Docker's container gets no namespace from netplane")
                .noneMatch(n -> n.contains("docker-ep"));

        // CreateEndpoint: the plugin's pair in the host namespace
        String hostSide = Ownership.vethName(docker.endpointId());
        pluginVeths.add(hostSide);
        String mac = new VethPairs(LAB.manager(), NamespaceManager.pathOf(hostNs))
                .create(hostSide, "dk0123456789ab", docker.macAddress(), 1500);
        assertThat(mac).isEqualTo(docker.macAddress());
        // Join: dockerd moves the far side into the container, names it eth0 and configures it
        Shell.must("ip", "-n", hostNs, "link", "set", "dk0123456789ab", "netns", dockerSandbox);
        Shell.must("ip", "-n", dockerSandbox, "link", "set", "dk0123456789ab", "name", "eth0");
        Shell.must("ip", "-n", dockerSandbox, "addr", "add", "10.88.0.3/24", "dev", "eth0");
        Shell.must("ip", "-n", dockerSandbox, "link", "set", "eth0", "up");

        List<EndpointStatus> second = reconciler.reconcile(store.snapshot());
        assertThat(status(second, docker.endpointId())).isEqualTo(EndpointState.APPLIED.toString());
        assertThat(Shell.json("ip", "-n", hostNs, "-j", "link", "show", "dev", hostSide).get(0).get("master").asText())
                .isEqualTo(net.bridgeName());
        assertThat(Shell.ping(dockerSandbox, "10.88.0.2")).as("Docker's container reaches netplane's").isTrue();

        // the next passes leave the pair alone: the sandbox is Docker's, the veth the plugin's
        reconciler.reconcile(store.snapshot());
        assertThat(Shell.run("ip", "-n", dockerSandbox, "-o", "addr", "show", "dev", "eth0").out()).contains("10.88.0.3/24");
        assertThat(Shell.ping(dockerSandbox, "10.88.0.2")).isTrue();
    }

    /** Trap 1 of the reference: dockerd sets FORWARD's policy to DROP, and br_netfilter sends bridged frames there. */
    @Test
    void withDockerdsDropPolicyTheAgentsOwnChainLetsABridgeForwardBetweenItsPorts() {
        assertThat(Shell.run("cat", "/proc/sys/net/bridge/bridge-nf-call-iptables").out().trim())
                .as("br_netfilter must be loaded for this test to mean anything").isEqualTo("1");
        NetworkCreated net = Events.bridgeNetwork(Events.hexId(), "web", "10.89.0.0/24", "10.89.0.1");
        ContainerCreated ours = Events.container(Events.hexId(), "own2", config.hostId());
        LAB.namespaces().adopt(ours.sandboxName());
        ContainerCreated theirs = dockers(Events.hexId(), "docker-ep-0123456789ac", config.hostId());
        EndpointAllocated own = Events.endpoint(Events.hexId(), 1, ours, net, "eth0", "10.89.0.2/24",
                "02:42:0a:59:00:02", 1500, List.of());
        EndpointAllocated docker = Events.endpoint(Events.hexId(), 1, theirs, net, "eth0", "10.89.0.3/24",
                "02:42:0a:59:00:03", 1500, List.of());
        for (var e : List.of(net, ours, theirs, own, docker)) {
            store.apply(e);
        }
        Shell.must("ip", "netns", "exec", hostNs, "iptables", "-P", "FORWARD", "DROP");
        String hostSide = Ownership.vethName(docker.endpointId());
        pluginVeths.add(hostSide);
        new VethPairs(LAB.manager(), NamespaceManager.pathOf(hostNs)).create(hostSide, "dk0123456789ac",
                docker.macAddress(), 1500);
        Shell.must("ip", "-n", hostNs, "link", "set", "dk0123456789ac", "netns", dockerSandbox);
        Shell.must("ip", "-n", dockerSandbox, "addr", "add", "10.89.0.3/24", "dev", "dk0123456789ac");
        Shell.must("ip", "-n", dockerSandbox, "link", "set", "dk0123456789ac", "up");

        reconciler.reconcile(store.snapshot());
        assertThat(Shell.ping(dockerSandbox, "10.89.0.2")).as("dropped in FORWARD, as dockerd's policy says").isFalse();

        reconciler.acceptBridgedForwarding(new IptablesRunner(30));
        reconciler.reconcile(store.snapshot());
        assertThat(Shell.ping(dockerSandbox, "10.89.0.2")).isTrue();
        assertThat(Shell.must("ip", "netns", "exec", hostNs, "iptables", "-S", "NP-BRIDGED"))
                .contains("-A NP-BRIDGED -i " + net.bridgeName() + " -o " + net.bridgeName() + " -j ACCEPT");
        reconciler.reconcile(store.snapshot());
        assertThat(Shell.must("ip", "netns", "exec", hostNs, "iptables", "-S", "FORWARD").lines()
                .filter(l -> l.contains("NP-BRIDGED")).count()).as("one jump, however many passes").isEqualTo(1);
    }

    @Test
    void aPluginVethWhoseEndpointHasNotArrivedIsKeptAndOneNobodyHoldsIsRemoved() {
        VethPairs veths = new VethPairs(LAB.manager(), NamespaceManager.pathOf(hostNs));
        String held = Ownership.vethName(Events.hexId());
        String orphan = Ownership.vethName(Events.hexId());
        pluginVeths.add(held);
        veths.create(held, "dk00000000000a", null, 1500);
        veths.create(orphan, "dk00000000000b", null, 1500);
        reconciler.reconcile(store.snapshot());
        assertThat(veths.link(held)).isPresent();
        assertThat(veths.link(orphan)).isEmpty();
    }
}
