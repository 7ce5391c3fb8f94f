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
import io.netplane.events.NetworkCreated;
import io.netplane.events.model.EndpointState;
import io.netplane.events.model.IpamConfig;
import io.netplane.events.model.Link;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reconciler on a bridge network inside a host namespace the test makes: two sandboxes
 * that ping each other, idempotent passes, drift repaired, restart without recreating.
 */
class BridgeNetworkTest {

    @RegisterExtension
    static final NamespaceLab LAB = new NamespaceLab();
    private String hostNs;
    private HostConfig config;
    private Reconciler reconciler;
    private DesiredStateStore store;
    private NetworkCreated net;
    private ContainerCreated c1;
    private ContainerCreated c2;
    private EndpointAllocated e1;
    private EndpointAllocated e2;
    private RecordedMetrics metrics;

    @BeforeEach
    void setUp() {
        hostNs = LAB.namespaces().create("host");
        String hostId = LAB.namespaces().name("h");
        config = new HostConfig(hostId, NamespaceManager.pathOf(hostNs), "192.0.2.1", null);
        reconciler = newReconciler();
        store = new DesiredStateStore(hostId);
        net = Events.bridgeNetwork(Events.hexId(), "my-bridge", "172.18.0.0/16", "172.18.0.1");
        c1 = Events.container(Events.hexId(), "test1", hostId);
        c2 = Events.container(Events.hexId(), "test2", hostId);
        LAB.namespaces().adopt(c1.sandboxName());
        LAB.namespaces().adopt(c2.sandboxName());
        e1 = Events.endpoint(Events.hexId(), 1, c1, net, "eth0", "172.18.0.2/16", "02:42:ac:12:00:02", 1500, List.of());
        e2 = Events.endpoint(Events.hexId(), 1, c2, net, "eth0", "172.18.0.3/16", "02:42:ac:12:00:03", 1500,
                List.of(new Link("test1", "db", c1.containerId(), c1.hostname(), "172.18.0.2/16")));
        for (var e : List.of(net, c1, c2, e1, e2)) {
            store.apply(e);
        }
    }

    private Reconciler newReconciler() {
        Reconciler r = new Reconciler(config, LAB.manager(), new SandboxFiles(), new Firewall(new IptablesRunner(30)));
        metrics = new RecordedMetrics();
        r.metrics(metrics);
        return r;
    }

    @AfterEach
    void tearDown() {
        if (reconciler != null) {
            reconciler.close();
        }
    }

    private int ifindex(String ns, String dev) {
        return Shell.json("ip", "-n", ns, "-j", "link", "show", "dev", dev).get(0).get("ifindex").asInt();
    }

    @Test
    void twoSandboxesOnOneBridgePingEachOtherAndSeeDockersFiles() {
        List<EndpointStatus> reports = reconciler.reconcile(store.snapshot());

        assertThat(reports).extracting(EndpointStatus::endpointId, EndpointStatus::state).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(e1.endpointId(), EndpointState.APPLIED),
                org.assertj.core.groups.Tuple.tuple(e2.endpointId(), EndpointState.APPLIED));
        JsonNode br = Shell.json("ip", "-n", hostNs, "-j", "-d", "addr", "show", "dev", net.bridgeName()).get(0);
        assertThat(br.get("address").asText()).isEqualTo("02:42:ac:12:00:01");
        assertThat(br.get("addr_info").get(0).get("local").asText()).isEqualTo("172.18.0.1");
        assertThat(br.get("addr_info").get(0).get("prefixlen").asInt()).isEqualTo(16);
        JsonNode eth0 = Shell.json("ip", "-n", c1.sandboxName(), "-j", "addr", "show", "dev", "eth0").get(0);
        assertThat(eth0.get("address").asText()).isEqualTo("02:42:ac:12:00:02");
        assertThat(eth0.get("addr_info").get(0).get("local").asText()).isEqualTo("172.18.0.2");
        JsonNode route = Shell.json("ip", "-n", c1.sandboxName(), "-j", "route", "show", "default").get(0);
        assertThat(route.get("gateway").asText()).isEqualTo("172.18.0.1");
        JsonNode veth = Shell.json("ip", "-n", hostNs, "-j", "link", "show", "dev", Ownership.vethName(e1.endpointId()))
                .get(0);
        assertThat(veth.get("master").asText()).isEqualTo(net.bridgeName());
        JsonNode port = Shell.json("ip", "netns", "exec", hostNs, "bridge", "-j", "-d", "link", "show", "dev",
                Ownership.vethName(e1.endpointId())).get(0);
        assertThat(port.get("hairpin").asBoolean()).as("hairpin mode, for a container's own published port").isTrue();
        assertThat(Shell.must("ip", "netns", "exec", hostNs, "cat",
                "/proc/sys/net/ipv4/conf/" + net.bridgeName() + "/route_localnet").trim()).isEqualTo("1");
        assertThat(Shell.must("ip", "netns", "exec", hostNs, "cat", "/proc/sys/net/ipv4/ip_forward").trim()).isEqualTo("1");

        assertThat(Shell.ping(c1.sandboxName(), "172.18.0.3")).isTrue();
        assertThat(Shell.ping(c2.sandboxName(), "172.18.0.2")).isTrue();
        assertThat(Shell.ping(c2.sandboxName(), "172.18.0.1")).isTrue();

        assertThat(Shell.must("ip", "netns", "exec", c2.sandboxName(), "cat", "/etc/resolv.conf"))
                .isEqualTo("nameserver 127.0.0.11\noptions ndots:0\n");
        assertThat(Shell.must("ip", "netns", "exec", c2.sandboxName(), "cat", "/etc/hosts"))
                .as("a link on a user-defined network is a DNS name only, as in Docker")
                .endsWith("172.18.0.3\t" + c2.hostname() + "\n").doesNotContain("172.18.0.2");
        assertThat(Shell.must("ip", "netns", "exec", c1.sandboxName(), "cat", "/etc/hosts")).doesNotContain("test2");
    }

    /** What the agent controls (not the kernel's asynchronous operstate or IPv6 DAD flags). */
    private String controlled(String ns) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode l : Shell.json("ip", "-n", ns, "-j", "link")) {
            sb.append(l.get("ifindex").asInt()).append(' ').append(l.get("ifname").asText()).append(' ')
                    .append(l.path("address").asText()).append(' ').append(l.get("mtu").asInt()).append(' ')
                    .append(l.path("master").asText()).append(' ').append(l.get("flags").toString().contains("\"UP\""))
                    .append('\n');
        }
        sb.append(Shell.must("ip", "-n", ns, "-4", "-o", "addr").replaceAll("valid_lft \\S+ preferred_lft \\S+", ""));
        sb.append(Shell.must("ip", "-n", ns, "route"));
        return sb.toString();
    }

    @Test
    void secondPassChangesNothingAndReportsNothing() {
        reconciler.reconcile(store.snapshot());
        String before = controlled(hostNs) + controlled(c1.sandboxName()) + controlled(c2.sandboxName());
        assertThat(reconciler.reconcile(store.snapshot())).isEmpty();
        assertThat(controlled(hostNs) + controlled(c1.sandboxName()) + controlled(c2.sandboxName())).isEqualTo(before);
    }

    @Test
    void driftIsRepaired() {
        reconciler.reconcile(store.snapshot());
        String veth1 = Ownership.vethName(e1.endpointId());
        Shell.must("ip", "-n", hostNs, "link", "del", veth1);
        Shell.must("ip", "-n", hostNs, "addr", "flush", "dev", net.bridgeName());
        Shell.must("ip", "-n", hostNs, "link", "set", Ownership.vethName(e2.endpointId()), "nomaster");
        assertThat(Shell.ping(c1.sandboxName(), "172.18.0.3")).isFalse();
        assertThat(metrics.applied).as("each endpoint's event timed once it reached the kernel").hasSize(2);
        assertThat(metrics.repaired).isEmpty();

        reconciler.reconcile(store.snapshot());
        assertThat(metrics.repaired).containsExactly("endpoint", "endpoint");
        assertThat(metrics.applied).as("the same revisions, not timed again").hasSize(2);

        assertThat(Shell.ping(c1.sandboxName(), "172.18.0.3")).isTrue();
        assertThat(Shell.ping(c2.sandboxName(), "172.18.0.1")).isTrue();
        assertThat(Shell.must("ip", "-n", c1.sandboxName(), "route", "show", "default")).contains("via 172.18.0.1");
    }

    @Test
    void restartedAgentConvergesWithExistingLinksUntouched() {
        reconciler.reconcile(store.snapshot());
        String veth1 = Ownership.vethName(e1.endpointId());
        int bridge = ifindex(hostNs, net.bridgeName());
        int veth = ifindex(hostNs, veth1);
        int eth0 = ifindex(c1.sandboxName(), "eth0");
        reconciler.close();

        reconciler = newReconciler();
        DesiredStateStore fresh = new DesiredStateStore(config.hostId());
        for (var e : List.of(net, c1, c2, e1, e2)) {
            fresh.apply(e);
        }
        List<EndpointStatus> reports = reconciler.reconcile(fresh.snapshot());

        assertThat(reports).extracting(EndpointStatus::state).containsOnly(EndpointState.APPLIED);
        assertThat(ifindex(hostNs, net.bridgeName())).isEqualTo(bridge);
        assertThat(ifindex(hostNs, veth1)).isEqualTo(veth);
        assertThat(ifindex(c1.sandboxName(), "eth0")).isEqualTo(eth0);
        assertThat(Shell.ping(c1.sandboxName(), "172.18.0.3")).isTrue();
    }

    @Test
    void aBridgeNameThatIsSomeoneElsesLinkIsNeitherTakenNorChanged() {
        // a bridge of someone else's (Docker's, say) whose name a record gives: netplane must not take it over
        Shell.must("ip", "-n", hostNs, "link", "add", "br-someone0000", "type", "bridge");
        Shell.must("ip", "-n", hostNs, "addr", "add", "10.1.1.1/24", "dev", "br-someone0000");
        int foreign = ifindex(hostNs, "br-someone0000");
        NetworkCreated taken = new NetworkCreated(Events.hexId(), 1, Instant.now(), NetworkCreated.SCHEMA_VERSION,
                "taken", "bridge", "local", false, false, false, false,
                List.of(new IpamConfig("172.30.0.0/16", null, "172.30.0.1", Map.of())), Map.of(), Map.of(),
                "br-someone0000", 1500, true, Instant.now());
        store.apply(taken);

        List<EndpointStatus> reports = reconciler.reconcile(store.snapshot());

        JsonNode link = Shell.json("ip", "-n", hostNs, "-j", "-d", "addr", "show", "dev", "br-someone0000").get(0);
        assertThat(link.get("ifindex").asInt()).isEqualTo(foreign);
        assertThat(link.get("linkinfo").get("info_kind").asText()).isEqualTo("bridge");
        assertThat(link.get("addr_info")).extracting(a -> a.get("local").asText()).containsExactly("10.1.1.1");
        assertThat(reports).extracting(EndpointStatus::state).containsOnly(EndpointState.APPLIED);
    }

    @Test
    void releasedEndpointAndRemovedContainerAreTornDownAndForeignLinksKept() {
        Shell.must("ip", "-n", hostNs, "link", "add", "br-foreign00000", "type", "bridge");
        Shell.must("ip", "-n", hostNs, "link", "add", "vethforeign", "type", "veth", "peer", "name", "vethforeign1");
        // a namespace that merely shares the prefix (say, of an agent "h-2") is not this agent's
        String lookalike = config.hostId() + "-2-web";
        LAB.namespaces().adopt(lookalike);
        LAB.manager().create(lookalike);
        reconciler.reconcile(store.snapshot());
        store.apply(Events.released(e2, 2));
        store.apply(new io.netplane.events.ContainerRemoved(c2.containerId(), 2, java.time.Instant.now(), 1,
                c2.name(), c2.hostId(), c2.sandboxName()));

        List<EndpointStatus> reports = reconciler.reconcile(store.snapshot());

        assertThat(reports).extracting(EndpointStatus::endpointId, EndpointStatus::state, EndpointStatus::endpointRevision)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(e2.endpointId(), EndpointState.REMOVED, 2L));
        String links = Shell.must("ip", "-n", hostNs, "-o", "link");
        assertThat(links).doesNotContain(Ownership.vethName(e2.endpointId()))
                .contains(Ownership.vethName(e1.endpointId())).contains("br-foreign00000").contains("vethforeign");
        assertThat(Shell.must("ip", "netns", "list")).doesNotContain(c2.sandboxName()).contains(c1.sandboxName())
                .contains(lookalike);
    }

    @Test
    void endpointThatCannotBeAppliedIsReportedFailedWithTheKernelsReason() {
        EndpointAllocated bad = Events.endpoint(Events.hexId(), 1, c1, net, "eth1", "172.18.0.9/16",
                "01:00:5e:00:00:01", 1500, List.of());
        store.apply(bad);
        List<EndpointStatus> reports = reconciler.reconcile(store.snapshot());
        EndpointStatus failed = reports.stream().filter(r -> r.endpointId().equals(bad.endpointId())).findFirst()
                .orElseThrow();
        assertThat(failed.state()).isEqualTo(EndpointState.FAILED);
        assertThat(failed.error()).contains("EADDRNOTAVAIL");
        assertThat(reports).filteredOn(r -> r.endpointId().equals(e1.endpointId()))
                .extracting(EndpointStatus::state).containsExactly(EndpointState.APPLIED);
    }

    @Test
    void noneNetworkGetsLoopbackOnlyAndHostNetworkNoSandbox() {
        ContainerCreated none = new ContainerCreated(Events.hexId(), 1, java.time.Instant.now(), 1, "isolated",
                "isolated", config.hostId(), "create", io.netplane.events.Names.sandboxName(config.hostId(), "isolated"),
                "none", List.of(), List.of(), false, java.time.Instant.now());
        ContainerCreated host = new ContainerCreated(Events.hexId(), 1, java.time.Instant.now(), 1, "hostnet",
                "hostnet", config.hostId(), null, io.netplane.events.Names.sandboxName(config.hostId(), "hostnet"),
                "host", List.of(), List.of(), false, java.time.Instant.now());
        LAB.namespaces().adopt(none.sandboxName());
        LAB.namespaces().adopt(host.sandboxName());
        EndpointAllocated hostEndpoint = Events.endpoint(Events.hexId(), 1, host, Events.hexId(), "host", "host", null,
                null, null, null, 0, List.of());
        store.apply(none);
        store.apply(host);
        store.apply(hostEndpoint);

        List<EndpointStatus> reports = reconciler.reconcile(store.snapshot());

        JsonNode links = Shell.json("ip", "-n", none.sandboxName(), "-j", "link");
        assertThat(links).hasSize(1);
        assertThat(links.get(0).get("ifname").asText()).isEqualTo("lo");
        assertThat(links.get(0).get("flags").toString()).contains("UP");
        assertThat(Shell.must("ip", "netns", "list")).doesNotContain(host.sandboxName());
        assertThat(reports).filteredOn(r -> r.endpointId().equals(hostEndpoint.endpointId()))
                .extracting(EndpointStatus::state).containsExactly(EndpointState.APPLIED);
    }

    @Test
    void firewallRulesetIsAppliedOnceAndRepairedAfterDrift() {
        String document = "*nat\n:NETPLANE - [0:0]\n"
                + "-A NETPLANE -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80\nCOMMIT\n";
        store.apply(new io.netplane.events.NatRuleset(config.hostId(), 1, java.time.Instant.now(), 1, document,
                List.of("nat NETPLANE"), List.of("nat PREROUTING -m addrtype --dst-type LOCAL -j NETPLANE")));
        reconciler.reconcile(store.snapshot());
        String once = Shell.must("ip", "netns", "exec", hostNs, "iptables-save", "-t", "nat")
                .replaceAll("(?m)^#.*\n", "");
        reconciler.reconcile(store.snapshot());
        assertThat(Shell.must("ip", "netns", "exec", hostNs, "iptables-save", "-t", "nat")
                .replaceAll("(?m)^#.*\n", "")).isEqualTo(once);
        assertThat(once).contains("--dport 8080").contains("-A PREROUTING -m addrtype --dst-type LOCAL -j NETPLANE");
        assertThat(metrics.firewallRules).as("applied once; its rule and its jump counted").containsExactly(2);

        Shell.must("ip", "netns", "exec", hostNs, "iptables", "-t", "nat", "-F", "NETPLANE");
        Shell.must("ip", "netns", "exec", hostNs, "iptables", "-t", "nat", "-D", "PREROUTING", "-m", "addrtype",
                "--dst-type", "LOCAL", "-j", "NETPLANE");
        reconciler.reconcile(store.snapshot());
        assertThat(metrics.repaired).containsExactly("firewall");
        assertThat(Shell.must("ip", "netns", "exec", hostNs, "iptables-save", "-t", "nat")
                .replaceAll("(?m)^#.*\n", "")).isEqualTo(once);
    }
}
