package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.localcluster.up.Shell;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Refusals in Docker's words, records removed with their container, and the docker CLI against netplane. */
class LifecycleTest extends Scenario {

    @Test
    void removingAContainerRemovesItsName() {
        network("{\"name\":\"brief\",\"driver\":\"bridge\"}");
        JsonNode asker = container("{\"name\":\"asker\",\"hostId\":\"h1\",\"sandbox\":\"create\",\"networks\":[{\"network\":\"brief\"}]}");
        JsonNode gone = bed.api.create("/v1/containers?wait=true",
                "{\"name\":\"gone\",\"hostId\":\"h1\",\"sandbox\":\"create\",\"networks\":[{\"network\":\"brief\"}]}");
        await().atMost(SETTLE).until(() -> !dig(sandbox(asker), "gone").isEmpty());

        assertThat(bed.api.delete("/v1/containers/" + gone.get("id").asText()).status()).isBetween(200, 299);
        await().atMost(SETTLE).untilAsserted(() -> assertNxdomain(sandbox(asker), "gone"));
        await().atMost(SETTLE).until(() -> !Shell.run("ip", "netns", "list").output().contains("h1-gone"));
    }

    @Test
    void badRequestsAreRefusedInDockersWordsAndChangeNothing() {
        network("{\"name\":\"taken\",\"driver\":\"bridge\",\"ipam\":[{\"subnet\":\"10.77.0.0/16\"}]}");
        Api.Reply duplicate = bed.api.post("/v1/networks", "{\"name\":\"taken\",\"driver\":\"bridge\"}");
        assertThat(duplicate.status()).isBetween(400, 499);
        assertThat(duplicate.body().toString()).contains("network with name taken already exists");

        Api.Reply overlap = bed.api.post("/v1/networks",
                "{\"name\":\"overlapping\",\"driver\":\"bridge\",\"ipam\":[{\"subnet\":\"10.77.1.0/24\"}]}");
        assertThat(overlap.status()).isBetween(400, 499);
        assertThat(overlap.body().toString()).containsIgnoringCase("overlaps");

        Api.Reply outside = bed.api.post("/v1/containers", "{\"name\":\"stray\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"taken\",\"ipv4Address\":\"192.0.2.99\"}]}");
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.body().get("message").asText()).isEqualTo(
                "Invalid address 192.0.2.99: It does not belong to any of this network's subnets"); // Docker 20.10
        assertThat(bed.api.get("/v1/networks/overlapping").status()).isEqualTo(404);
        assertThat(bed.api.get("/v1/containers/stray").status()).isEqualTo(404);
    }

    @Test
    void theDockerCliDrivesNetplane() {
        String host = bed.deployment.dockerHost();
        Shell.Result create = Shell.run(List.of("docker", "-H", host, "network", "create", "-d", "bridge",
                "--subnet", "10.88.0.0/16", "cli-net"), 60);
        assertThat(create.ok()).as(create.output()).isTrue();
        try {
            assertThat(networkNames(host)).contains("cli-net", "bridge", "host", "none");
            assertThat(Shell.run(List.of("docker", "-H", host, "network", "inspect", "cli-net"), 60).output())
                    .contains("\"Subnet\": \"10.88.0.0/16\"");
            Shell.Result again = Shell.run(List.of("docker", "-H", host, "network", "create", "cli-net"), 60);
            assertThat(again.ok()).isFalse();
            assertThat(again.output()).contains("network with name cli-net already exists");
        } finally {
            Shell.run(List.of("docker", "-H", host, "network", "rm", "cli-net"), 60);
        }
        assertThat(networkNames(host)).doesNotContain("cli-net").contains("bridge", "host", "none");
    }

    /** The NAME column of {@code docker network ls} (NETWORK ID, NAME, DRIVER, SCOPE). */
    private static List<String> networkNames(String host) {
        Shell.Result ls = Shell.run(List.of("docker", "-H", host, "network", "ls"), 60);
        assertThat(ls.ok()).as(ls.output()).isTrue();
        List<String> lines = ls.output().lines().toList();
        assertThat(lines.get(0).split("\\s+")).containsExactly("NETWORK", "ID", "NAME", "DRIVER", "SCOPE");
        return lines.stream().skip(1).map(l -> l.split("\\s+")[1]).toList();
    }
}
