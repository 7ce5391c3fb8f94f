package io.netplane.agent.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.agent.AgentRuntime;
import io.netplane.agent.support.AgentLab;
import io.netplane.agent.support.Broker;
import io.netplane.agent.support.Events;
import io.netplane.agent.support.Shell;
import io.netplane.events.ContainerCreated;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.Names;
import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole agent: a Docker container's events through the real broker reach the agent's desired
 * state, and the host stub it serves answers that container, asked from its address, as itself.
 */
class DockerDnsAgentTest {

    @RegisterExtension
    final AgentLab lab = new AgentLab();
    private DnsServiceStandIn upstream;

    @AfterEach
    void tearDown() throws Exception {
        lab.stopAgent();
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aDockerContainersEventsMakeTheHostStubAnswerItAsItself() throws Exception {
        String hostNs = lab.hostNs();
        Shell.must("ip", "-n", hostNs, "link", "set", "lo", "up");
        Shell.must("ip", "-n", hostNs, "addr", "add", "192.0.2.1/32", "dev", "lo");
        String c = lab.namespaces().create("dctr");
        Shell.must("ip", "-n", hostNs, "link", "add", "vdctr", "type", "veth", "peer", "name", "eth0", "netns", c);
        Shell.must("ip", "-n", hostNs, "addr", "add", "10.79.0.1/24", "dev", "vdctr");
        Shell.must("ip", "-n", hostNs, "link", "set", "vdctr", "up");
        Shell.must("ip", "-n", c, "addr", "add", "10.79.0.2/24", "dev", "eth0");
        Shell.must("ip", "-n", c, "link", "set", "eth0", "up");
        Shell.must("ip", "-n", c, "route", "add", "default", "via", "10.79.0.1");

        ContainerCreated web = DockerAskersTest.container(lab.hostId(), "web", Names.RUNTIME_SANDBOX);
        EndpointAllocated e = DockerAskersTest.endpoint(web, Events.hexId(), "10.79.0.2/24");
        upstream = new DnsServiceStandIn(Map.of(web.containerId(), "10.0.0.5"), Set.of());
        lab.stopAgent();
        AgentRuntime agent = lab.startAgent(upstream.link());
        agent.serveDockerDns(InetAddress.getByName("192.0.2.1"));
        String[] dig = {"ip", "netns", "exec", c, "dig", "+tries=1", "+time=5", "@192.0.2.1", "web"};
        // not in the desired state yet: asked for as the host, which sees no container's name
        assertThat(Shell.run(dig).out()).contains("status: NXDOMAIN");

        lab.broker().publish(web);
        lab.broker().publish(e);
        await().atMost(Broker.PATIENCE).until(() -> Shell.run(dig).out().contains("10.0.0.5"));
        assertThat(upstream.identities()).containsOnly("host:" + lab.hostId(), web.containerId());
    }
}
