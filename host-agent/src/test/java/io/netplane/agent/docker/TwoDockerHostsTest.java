package io.netplane.agent.docker;

import io.netplane.agent.support.FakeIpamService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.support.Closing;
import io.netplane.agent.support.Namespaces;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "A network created once is usable on every host": two real dockerd, each with its own plugin,
 * one (fake) ipam-service whose networks are both hosts' desired state, as the event log makes it.
 */
class TwoDockerHostsTest {

    private NamespaceManager manager;
    private Namespaces namespaces;
    private FakeIpamService ipam;
    private SimulatedDockerHost h1;
    private SimulatedDockerHost h2;

    @BeforeEach
    void start() throws Exception {
        Namespaces.requireRoot();
        manager = new NamespaceManager();
        namespaces = new Namespaces(manager);
        ipam = new FakeIpamService();
        h1 = new SimulatedDockerHost("h1", manager, namespaces, ipam.url(), ipam::asDesired);
        h2 = new SimulatedDockerHost("h2", manager, namespaces, ipam.url(), ipam::asDesired);
    }

    @AfterEach
    void stop() throws Exception {
        Closing.all(h2, h1, ipam, namespaces, manager);
    }

    @Test
    void aNetworkCreatedOnOneHostAppearsOnTheOtherWithDockersNameAndOneAddressSpace() {
        h1.must("network", "create", "-d", "netplane", "--ipam-driver", "netplane", "--subnet", "10.76.0.0/24", "demo");
        await().atMost(Duration.ofSeconds(30)).until(() -> h2.docker("network", "inspect", "demo").ok());
        String h2Network = h2.must("network", "inspect", "-f", "{{.Driver}} {{.IPAM.Driver}} {{.IPAM.Options}} "
                + "{{(index .IPAM.Config 0).Subnet}} {{.Options}}", "demo");
        String netplaneId = ipam.networks.keySet().iterator().next();
        assertThat(h2Network).isEqualTo("netplane netplane map[netplane.network:" + netplaneId + "] 10.76.0.0/24"
                + " map[netplane.driver:overlay]");
        assertThat(ipam.networks).hasSize(1);

        h1.must("run", "-d", "--name", "c1", "--network", "demo", "busybox", "sleep", "600");
        h2.must("run", "-d", "--name", "c2", "--network", "demo", "busybox", "sleep", "600");
        String a1 = h1.must("inspect", "-f", "{{.NetworkSettings.Networks.demo.IPAddress}}", "c1");
        String a2 = h2.must("inspect", "-f", "{{.NetworkSettings.Networks.demo.IPAddress}}", "c2");
        assertThat(a1).startsWith("10.76.0.");
        assertThat(a2).startsWith("10.76.0.").isNotEqualTo(a1);
        assertThat(ipam.containers.values()).extracting(c -> c.path("endpoints").path(0).path("ipv4Address").asText())
                .containsExactlyInAnyOrder(a1 + "/24", a2 + "/24");

        h2.must("rm", "-f", "c2");
        h2.must("network", "rm", "demo");
        assertThat(ipam.networks).as("h2 only used the network h1 made: it stays").hasSize(1);
        h1.must("rm", "-f", "c1");
        h1.must("network", "rm", "demo");
        assertThat(ipam.networks).as("h1 made it for its Docker network: it goes with it").isEmpty();
    }
}
