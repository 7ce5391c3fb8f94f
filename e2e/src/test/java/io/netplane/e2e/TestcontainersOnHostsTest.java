package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.localcluster.up.DockerEngine;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;

/**
 * Testcontainers drives real containers on the simulated hosts' own dockerd: the local busybox
 * image (never pulled, no Ryuk), on Docker's default bridge of the host it was asked for, and
 * removed from that host when closed.
 */
class TestcontainersOnHostsTest {

    @Test
    void busyboxRunsOnTheDefaultBridgeOfTheHostItWasAskedFor() {
        TestBed bed = TestBed.get();
        for (String host : List.of("h1", "h2")) {
            DockerEngine engine = bed.docker(host);
            DockerEngine other = bed.docker(host.equals("h1") ? "h2" : "h1");
            String subnet = engine.docker("network", "inspect", "bridge", "--format",
                    "{{(index .IPAM.Config 0).Subnet}}").output().trim();
            assertThat(subnet).as("Docker's default bridge on " + host).isEqualTo("198.18.0.0/24");
            String id;
            try (HostContainer c = bed.container(host, "busybox")
                    .withCommand("sh", "-c", "hostname; ip -4 addr show eth0")
                    .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(120)))) {
                c.start();
                id = c.getContainerId();
                String logs = c.getLogs();
                // Docker names a container's host after its id, and gives it an address of the bridge's subnet.
                assertThat(logs).startsWith(id.substring(0, 12) + "\n");
                assertThat(logs).contains("inet " + subnet.substring(0, subnet.indexOf(".0.0/")) + ".");
                assertThat(engine.docker("container", "inspect", "--format", "{{json .NetworkSettings.Networks}}", id).output())
                        .contains("\"bridge\"");
                assertThat(other.docker("container", "inspect", id).ok()).as("the container is " + host + "'s only").isFalse();
            }
            assertThat(engine.docker("container", "inspect", id).ok()).as("removed from " + host + " when closed").isFalse();
        }
    }
}
