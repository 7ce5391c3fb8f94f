package io.netplane.agent.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.agent.firewall.IptablesRunner;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.reconcile.DesiredStateStore;
import io.netplane.agent.support.Events;
import io.netplane.agent.support.NamespaceLab;
import io.netplane.agent.support.Shell;
import io.netplane.events.ContainerCreated;
import io.netplane.events.ContainerRemoved;
import io.netplane.events.DnsIdentity;
import io.netplane.events.Names;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The host's stub as dockerd uses it: listening on the host's underlay address inside the
 * simulated host's namespace, queried (with dig) from container namespaces wired to the host by
 * veth pairs, so the query's source is the container's address, as when dockerd's embedded DNS
 * forwards a name it does not know. The desired state holds which container is at which address;
 * the upstream is a {@link DnsServiceStandIn} that answers each container it can prove, and the
 * host as dns-service does (outside names only).
 */
class HostDnsStubTest {

    @RegisterExtension
    static final NamespaceLab LAB = new NamespaceLab();
    private static final String HOST = "h1";
    private static final String UNDERLAY = "192.0.2.1";

    private final DesiredStateStore store = new DesiredStateStore(HOST);
    private DnsServiceStandIn upstream;
    private DnsStubs stubs;
    private String hostNs;
    private ContainerCreated web;

    @BeforeEach
    void setUp() throws Exception {
        hostNs = LAB.namespaces().create("dh");
        Shell.must("ip", "-n", hostNs, "link", "set", "lo", "up");
        Shell.must("ip", "-n", hostNs, "addr", "add", UNDERLAY + "/32", "dev", "lo"); // a local address, as the underlay's
        web = DockerAskersTest.container(HOST, "web", Names.RUNTIME_SANDBOX);
        store.apply(web);
        store.apply(DockerAskersTest.endpoint(web, "0123456789abcdef", "10.77.1.2/24"));
        upstream = new DnsServiceStandIn(Map.of(web.containerId(), "10.0.0.5"), Set.of());
        stubs = new DnsStubs(LAB.manager(), upstream.link(), 53);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (stubs != null) {
            stubs.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** A container namespace at {@code address} (/24), its veth peer in the host with the .1 as gateway. */
    private String container(String role, String address) {
        String ns = LAB.namespaces().create(role);
        String hostSide = "v" + role;
        String gateway = address.substring(0, address.lastIndexOf('.')) + ".1";
        Shell.must("ip", "-n", hostNs, "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", ns);
        Shell.must("ip", "-n", hostNs, "addr", "add", gateway + "/24", "dev", hostSide);
        Shell.must("ip", "-n", hostNs, "link", "set", hostSide, "up");
        Shell.must("ip", "-n", ns, "link", "set", "lo", "up");
        Shell.must("ip", "-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        Shell.must("ip", "-n", ns, "link", "set", "eth0", "up");
        Shell.must("ip", "-n", ns, "route", "add", "default", "via", gateway);
        return ns;
    }

    private static String dig(String ns, String name, String... options) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns, "dig", "+tries=1", "+time=5"));
        command.addAll(List.of(options));
        command.addAll(List.of("@" + UNDERLAY, name));
        return Shell.run(command.toArray(String[]::new)).out();
    }

    private void serve() throws Exception {
        stubs.serveDocker(NamespaceManager.pathOf(hostNs), InetAddress.getByName(UNDERLAY), HOST, store::snapshot);
    }

    @Test
    void anotherMachineOnTheUnderlayIsNotAnsweredOnceTheGuardCloses() throws Exception {
        // the underlay address on a link to another machine instead of on lo
        Shell.must("ip", "-n", hostNs, "addr", "del", UNDERLAY + "/32", "dev", "lo");
        String machine = LAB.namespaces().create("dmach");
        Shell.must("ip", "-n", hostNs, "link", "add", "ul0", "type", "veth", "peer", "name", "ul0", "netns", machine);
        Shell.must("ip", "-n", hostNs, "addr", "add", UNDERLAY + "/24", "dev", "ul0");
        Shell.must("ip", "-n", hostNs, "link", "set", "ul0", "up");
        Shell.must("ip", "-n", machine, "addr", "add", "192.0.2.9/24", "dev", "ul0");
        Shell.must("ip", "-n", machine, "link", "set", "ul0", "up");
        String c = container("dgw", "10.77.1.2");
        serve();
        assertThat(dig(machine, "example.com", "+notcp")).as("answered before the guard").contains("status:");

        new HostStubGuard(LAB.manager(), new IptablesRunner(30)).close(NamespaceManager.pathOf(hostNs),
                InetAddress.getByName(UNDERLAY));

        for (String transport : List.of("+notcp", "+tcp")) {
            assertThat(dig(machine, "example.com", transport)).as(transport).doesNotContain("status:");
            assertThat(dig(c, "web", "+short", transport).trim()).as(transport).isEqualTo("10.0.0.5");
            assertThat(dig(hostNs, "example.com", transport)).as("the host itself, " + transport).contains("status:");
        }
    }

    @Test
    void aDockerContainerIsAnsweredAsItselfOverUdpAndTcp() throws Exception {
        String c = container("dweb", "10.77.1.2");
        serve();

        for (String transport : List.of("+notcp", "+tcp")) {
            assertThat(dig(c, "web", "+short", transport).trim()).as(transport).isEqualTo("10.0.0.5");
            assertThat(dig(c, "example.com", transport)).as(transport).contains("status: NOERROR")
                    .doesNotContain(Integer.toString(DnsIdentity.OPTION_CODE));
        }
        assertThat(upstream.identities()).hasSize(4).containsOnly(web.containerId());
        // the stub listens in the simulated host only: nothing answers in the test's own namespace
        assertThat(Shell.run("dig", "+short", "+tries=1", "+time=1", "@" + UNDERLAY, "web").out())
                .doesNotContain("10.0.0.5");
    }

    @Test
    void everyOtherSourceIsAskedForAsTheHostOutsideNamesAnsweredNoContainersName() throws Exception {
        String stranger = container("dstr", "10.77.2.2"); // e.g. on one of Docker's own bridges
        ContainerCreated own = DockerAskersTest.container(HOST, "own", Names.CREATE_SANDBOX);
        store.apply(own);
        store.apply(DockerAskersTest.endpoint(own, "0123456789abcdef", "10.77.3.2/24"));
        String sandboxed = container("down", "10.77.3.2"); // netplane made its sandbox: it has its own stub
        serve();

        for (String ns : List.of(stranger, sandboxed, hostNs)) { // the host itself asks from 192.0.2.1
            for (String transport : List.of("+notcp", "+tcp")) {
                assertThat(dig(ns, DnsServiceStandIn.OUTSIDE_NAME, "+short", transport).trim())
                        .as(ns + " " + transport).isEqualTo(DnsServiceStandIn.OUTSIDE_ADDRESS);
                assertThat(dig(ns, "web", transport)).as(ns + " " + transport)
                        .contains("status: NXDOMAIN").doesNotContain("10.0.0.5");
            }
        }
        assertThat(upstream.identities()).hasSize(12).containsOnly(DnsIdentity.host(HOST));
    }

    @Test
    void aSourceWhoseAskerCannotBeFoundOutIsRefusedByTheStubAndNeverReachesDnsService() throws Exception {
        String c = container("dfail", "10.77.1.2");
        stubs.serveDocker(NamespaceManager.pathOf(hostNs), InetAddress.getByName(UNDERLAY), HOST, () -> {
            throw new IllegalStateException("no desired state");
        });

        for (String transport : List.of("+notcp", "+tcp")) {
            for (String name : List.of("web", DnsServiceStandIn.OUTSIDE_NAME)) {
                assertThat(dig(c, name, transport)).as(transport + " " + name).contains("status: REFUSED");
            }
        }
        assertThat(upstream.identities()).isEmpty();
    }

    @Test
    void aContainerRemovedFromTheDesiredStateIsAskedForAsTheHostAtOnce() throws Exception {
        String c = container("dgone", "10.77.1.2");
        serve();
        assertThat(dig(c, "web", "+short").trim()).isEqualTo("10.0.0.5");

        store.apply(new ContainerRemoved(web.containerId(), 2, Instant.now(), ContainerRemoved.SCHEMA_VERSION,
                web.name(), HOST, null));
        store.snapshot().endpoints().values().forEach(e -> store.apply(Events.released(e, 2)));

        assertThat(dig(c, "web")).contains("status: NXDOMAIN").doesNotContain("10.0.0.5");
        assertThat(upstream.identities()).containsExactly(web.containerId(), DnsIdentity.host(HOST));
    }

    @Test
    void anAddressTheHostDoesNotHoldFailsWithTheReason() {
        assertThatThrownBy(() -> stubs.serveDocker(NamespaceManager.pathOf(hostNs), InetAddress.getByName("192.0.2.99"),
                HOST, store::snapshot))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("192.0.2.99:53")
                .hasMessageContaining(hostNs)
                .hasMessageContaining(DnsServiceLink.DOCKER_DNS_PROPERTY + " must be an address of that namespace");
    }
}
