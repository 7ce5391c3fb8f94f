package io.netplane.agent.trust;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.agent.support.Events;
import io.netplane.events.ContainerCreated;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.NatRuleset;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.NetworkCreated;
import io.netplane.events.OverlayNetworkMesh;
import io.netplane.events.model.Link;
import io.netplane.events.model.MeshEndpoint;
import io.netplane.events.model.MeshHost;
import io.netplane.events.model.PortBinding;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordCheckTest {

    private final NetworkCreated net = Events.bridgeNetwork(Events.hexId(), "n", "172.18.0.0/16", "172.18.0.1");
    private final ContainerCreated c = Events.container(Events.hexId(), "web", "h1");

    private static void assertRefused(NetplaneEvent event, String reason) {
        assertThatThrownBy(() -> RecordCheck.check(event)).isInstanceOf(RefusedRecord.class)
                .hasMessageContaining(reason);
    }

    private EndpointAllocated endpoint(ContainerCreated container, String ifname, String cidr, String mac,
            List<Link> links) {
        return Events.endpoint(Events.hexId(), 1, container, net, ifname, cidr, mac, 1500, links);
    }

    private ContainerCreated withSandbox(String sandbox, String sandboxName) {
        return new ContainerCreated(c.containerId(), 1, Instant.now(), ContainerCreated.SCHEMA_VERSION, c.name(),
                c.hostname(), "h1", sandbox, sandboxName, "default", List.of(), List.of(), false, Instant.now());
    }

    @Test
    void whatIpamAndOverlayServicePublishPasses() {
        assertThatCode(() -> {
            RecordCheck.check(net);
            RecordCheck.check(c);
            RecordCheck.check(endpoint(c, "eth0", "172.18.0.2/16", "02:42:ac:12:00:02",
                    List.of(new Link("db", "database", Events.hexId(), "db-host", "172.18.0.3"),
                            new Link("cache", null, Events.hexId(), "cache", "172.18.0.4/16"))));
            RecordCheck.check(withSandbox("/var/run/netns/cni-1234", null));
            RecordCheck.check(withSandbox("/run/netns/abc", null));
            RecordCheck.check(withSandbox("/proc/4242/ns/net", null));
            // Docker's container, through netplane's plugin: the engine owns the sandbox
            RecordCheck.check(withSandbox("docker", null));
            RecordCheck.check(endpoint(withSandbox("docker", null), "eth0", "172.18.0.5/16", "02:42:ac:12:00:05",
                    List.of()));
            RecordCheck.check(mesh("br-0123456789ab", "vx-000100-01234", "10.0.0.2", "02:42:0a:00:00:02"));
        }).doesNotThrowAnyException();
    }

    @Test
    void aPortBindingThatIsNotPortsAProtocolAndIpv4AddressesIsRefused() {
        assertThatCode(() -> RecordCheck.check(ruleset(new PortBinding("tcp", "0.0.0.0", 8080, "172.18.0.2", 80))))
                .doesNotThrowAnyException();
        assertRefused(ruleset(new PortBinding("tcp", "0.0.0.0", 0, "172.18.0.2", 80)), "invalid hostPort: 0");
        assertRefused(ruleset(new PortBinding("udp", "0.0.0.0", 53, "172.18.0.2", 70000)), "invalid containerPort: 70000");
        assertRefused(ruleset(new PortBinding("tcp -j ACCEPT", "0.0.0.0", 9000, "172.18.0.2", 9000)), "invalid proto");
        assertRefused(ruleset(new PortBinding("TCP", "0.0.0.0", 9000, "172.18.0.2", 9000)), "invalid proto");
        assertRefused(ruleset(new PortBinding("tcp", "0.0.0.0", 8080, "localhost", 80)), "is not an IPv4 address");
        assertRefused(ruleset(new PortBinding("tcp", "::", 8080, "172.18.0.2", 80)), "is not an IPv4 address");
    }

    private static NatRuleset ruleset(PortBinding port) {
        return new NatRuleset("h1", 1, Instant.now(), NatRuleset.SCHEMA_VERSION, "*nat\n:NETPLANE - [0:0]\nCOMMIT\n",
                List.of("nat NETPLANE"), List.of(), List.of(port));
    }

    @Test
    void aSandboxPathOutsideTheNamespaceDirectoriesIsRefused() {
        for (String path : List.of("/tmp/ns", "/var/run/netns/../../tmp/ns", "/proc/self/ns/net", "/proc/1/ns/mnt",
                "/var/run/netns/", "/var/run/netns//x", "relative/ns", "/proc/1/root/var/run/netns/x")) {
            assertRefused(withSandbox(path, null), "invalid sandbox");
            assertRefused(endpoint(withSandbox(path, null), "eth0", "172.18.0.2/16", null, List.of()), "invalid sandbox");
        }
        assertRefused(withSandbox("create", "../../etc"), "sandbox name");
        assertRefused(withSandbox("create", ".."), "sandbox name");
        ContainerCreated traversal = new ContainerCreated(c.containerId(), 1, Instant.now(),
                ContainerCreated.SCHEMA_VERSION, "../../../etc/x", c.hostname(), "h1", "create", null, "default",
                List.of(), List.of(), false, Instant.now());
        assertRefused(traversal, "sandbox name \"h1-../../../etc/x\"");
    }

    @Test
    void aHostLinkThatIsNotNetplanesIsRefused() {
        NetworkCreated eth0 = new NetworkCreated(net.networkId(), 1, Instant.now(), NetworkCreated.SCHEMA_VERSION, "n",
                "bridge", "local", false, false, false, false, net.ipam(), net.options(), net.labels(), "eth0", 1500,
                true, Instant.now());
        assertRefused(eth0, "netplane makes and removes only links named");
        NetworkCreated injected = new NetworkCreated(net.networkId(), 1, Instant.now(), NetworkCreated.SCHEMA_VERSION,
                "n", "bridge", "local", false, false, false, false, net.ipam(), net.options(), net.labels(),
                "br-x\n-F FORWARD", 1500, true, Instant.now());
        assertRefused(injected, "invalid bridge name");
        assertRefused(mesh("lo", "vx-000100-01234", "10.0.0.2", "02:42:0a:00:00:02"), "netplane makes and removes only links named");
        assertRefused(mesh("br-0123456789ab", "eth1", "10.0.0.2", "02:42:0a:00:00:02"), "netplane makes and removes only links named");
    }

    @Test
    void aMeshEntryThatIsNotAnAddressOrMacIsRefused() {
        assertRefused(mesh("br-0123456789ab", "vx-000100-01234", "10.0.0.2; reboot", "02:42:0a:00:00:02"), "peer address");
        assertRefused(mesh("br-0123456789ab", "vx-000100-01234", "10.0.0.2", "02:42:0a:00:00"), "peer MAC address");
        assertRefused(mesh("br-0123456789ab", "vx-000100-01234", "10.0.0.2", "zz:42:0a:00:00:02"), "peer MAC address");
    }

    @Test
    void endpointValuesThatReachTheKernelOrEtcFilesAreChecked() {
        assertRefused(endpoint(c, "eth0/..", "172.18.0.2/16", null, List.of()), "invalid interface name");
        assertRefused(endpoint(c, "eth0", "172.18.0.2", null, List.of()), "IPv4 address");
        assertRefused(endpoint(c, "eth0", "172.18.0.2/16", "02:42", List.of()), "MAC address");
        assertRefused(endpoint(c, "eth0", "172.18.0.2/16", null,
                List.of(new Link("db", "db\n6.6.6.6 bank", Events.hexId(), "db", "172.18.0.3"))), "link alias");
        assertRefused(endpoint(c, "eth0", "172.18.0.2/16", null,
                List.of(new Link("db", "db", Events.hexId(), "db\n6.6.6.6 bank", "172.18.0.3"))), "hostname");
        assertRefused(endpoint(c, "eth0", "172.18.0.2/16", null,
                List.of(new Link("db", "db", Events.hexId(), "db", "172.18.0.3\n6.6.6.6"))), "link address");
    }

    private static OverlayNetworkMesh mesh(String bridge, String vxlan, String peerIp, String peerMac) {
        return new OverlayNetworkMesh(Events.hexId(), 1, Instant.now(), OverlayNetworkMesh.SCHEMA_VERSION, false, "ov",
                256, "10.0.0.0/24", "10.0.0.1", 1450, bridge, vxlan, List.of(
                        new MeshHost("h1", "192.0.2.1", true, List.of()),
                        new MeshHost("h2", "192.0.2.2", true, List.of(new MeshEndpoint(Events.hexId(), peerIp, peerMac)))));
    }
}
