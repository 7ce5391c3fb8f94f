package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.localcluster.up.ServiceProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Real containers on a netplane network through restarts: of the container, of the host's agent
 * (the plugin's mapping of Docker's ids is read back; running containers never notice), and of
 * dockerd itself.
 */
class DockerRestartTest extends DockerScenario {

    @Test
    void containersKeepTheirAddressesAndPeersThroughContainerAndAgentRestarts() {
        netplaneNetwork("h1", "steady", "-o", "netplane.driver=overlay", "--subnet", "10.140.0.0/24");
        run("h1", "s1", "--network", "steady");
        run("h1", "s2", "--network", "steady");
        String s1 = address("h1", "s1", "steady");
        pingSucceeds("h1", "s2", "s1");

        must("h1", "restart", "-t", "1", "s1");
        assertThat(address("h1", "s1", "steady")).isEqualTo(s1);
        pingSucceeds("h1", "s2", "s1");

        ServiceProcess agent = agent("h1");
        agent.stop();
        // while the agent is away the kernel keeps what it applied
        assertThat(pingOnce("h1", "s2", s1)).isTrue();
        agent.start();
        assertThat(agent.awaitReady(Duration.ofSeconds(90))).as("agent h1 ready again").isTrue();
        assertThat(address("h1", "s1", "steady")).isEqualTo(s1);
        pingSucceeds("h1", "s2", "s1");
        // and the plugin still knows the network Docker made before the restart
        run("h1", "s3", "--network", "steady");
        pingSucceeds("h1", "s3", "s1");
        must("h1", "rm", "-f", "s3");
    }

    @Test
    void afterADockerdRestartTheContainersStartAgainOnTheirNetwork() {
        netplaneNetwork("h1", "durable", "-o", "netplane.driver=bridge", "--subnet", "10.141.0.0/24");
        run("h1", "d1", "--network", "durable");
        run("h1", "d2", "--network", "durable");
        String d1 = address("h1", "d1", "durable");

        bed.docker("h1").restart();
        must("h1", "start", "d1", "d2");
        assertThat(address("h1", "d1", "durable")).isEqualTo(d1);
        pingSucceeds("h1", "d2", "d1");
    }

    private ServiceProcess agent(String host) {
        return bed.deployment.processes().stream().filter(p -> p.name.equals("host-agent-" + host)).findFirst()
                .orElseThrow();
    }
}
