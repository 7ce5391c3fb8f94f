package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.localcluster.up.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * S5: published ports. {@code -p 8080:80} answers from another host, the host itself and its
 * localhost; {@code -p 80} and {@code -P} get a free host port from 32768 up and report it; a
 * host port already taken fails the container request in Docker's words, leaving no container,
 * while the first holder keeps it.
 */
class PublishedPortTest extends Scenario {

    @Test
    void publishedPortAnswersFromOutsideTheHostAndLocalhost() throws Exception {
        JsonNode web = container("{\"name\":\"web\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"bridge\"}],"
                + "\"ports\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}]}");
        try (Server server = Server.http(sandbox(web), 80)) {
            String h1 = bed.underlay("h1");
            await().atMost(SETTLE).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                assertThat(curl(bed.hostNetns("h2"), "http://" + h1 + ":8080/")).as("from host h2").isTrue();
                assertThat(curl(bed.hostNetns("h1"), "http://" + h1 + ":8080/")).as("from h1 itself").isTrue();
                assertThat(curl(bed.hostNetns("h1"), "http://127.0.0.1:8080/")).as("from h1's localhost").isTrue();
                assertThat(curl(bed.hostNetns("h1"), "http://[::1]:8080/")).as("from h1's IPv6 localhost").isTrue();
                assertThat(curl(sandbox(web), "http://" + h1 + ":8080/")).as("web reaching its own published port")
                        .isTrue();
            });
        }
    }

    @Test
    void withoutAHostPortAFreeOneIsPickedAndReported() throws Exception {
        JsonNode one = container("{\"name\":\"dash-p\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"bridge\"}],\"ports\":[{\"containerPort\":80,\"protocol\":\"tcp\"}]}");
        JsonNode all = container("{\"name\":\"dash-cap-p\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"bridge\"}],\"exposedPorts\":[\"80/tcp\"],\"publishAllPorts\":true}");

        int onePort = reportedHostPort("dash-p", 80);
        int allPort = reportedHostPort("dash-cap-p", 80);
        assertThat(List.of(onePort, allPort)).allMatch(p -> p >= 32768 && p <= 60999).doesNotHaveDuplicates();

        String h1 = bed.underlay("h1");
        try (Server a = Server.http(sandbox(one), 80); Server b = Server.http(sandbox(all), 80)) {
            await().atMost(SETTLE).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                assertThat(curl(bed.hostNetns("h2"), "http://" + h1 + ":" + onePort + "/")).as("-p 80").isTrue();
                assertThat(curl(bed.hostNetns("h2"), "http://" + h1 + ":" + allPort + "/")).as("-P").isTrue();
            });
        }
    }

    @Test
    void aHostPortAlreadyTakenIsRefusedAndTheFirstHolderKeepsIt() throws Exception {
        JsonNode first = container("{\"name\":\"holder\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"bridge\"}],"
                + "\"ports\":[{\"hostPort\":8081,\"containerPort\":80,\"protocol\":\"tcp\"}]}");
        await().atMost(SETTLE).until(() -> hostPortOf("holder", 80) == 8081);
        Api.Reply refused = bed.api.post("/v1/containers?wait=true", "{\"name\":\"latecomer\",\"hostId\":\"h1\","
                + "\"sandbox\":\"create\",\"networks\":[{\"network\":\"bridge\"}],"
                + "\"ports\":[{\"hostPort\":8081,\"containerPort\":80,\"protocol\":\"tcp\"}]}");

        // As docker run: the request itself fails in Docker's words, and no container is left behind.
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("message").asText())
                .endsWith("Bind for 0.0.0.0:8081 failed: port is already allocated");
        assertThat(bed.api.get("/v1/containers/latecomer").status()).isEqualTo(404);
        assertThat(hostPortOf("holder", 80)).isEqualTo(8081);
        assertThat(hostPortOf("latecomer", 80)).isEqualTo(-1);
        assertThat(refusalOf("latecomer")).as("nat never booked it, so it has nothing to refuse").isNull();

        String h1 = bed.underlay("h1");
        try (Server server = Server.http(sandbox(first), 80)) {
            await().atMost(SETTLE).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                    assertThat(curl(bed.hostNetns("h2"), "http://" + h1 + ":8081/")).as("the holder answers").isTrue());
        }
    }

    @Test
    void aPortAProcessOfTheHostHoldsIsRefusedNotShadowed() throws Exception {
        // a process of host h1 itself listens on 18095, as a web server on the machine would
        Process holder = new ProcessBuilder("ip", "netns", "exec", bed.hostNetns("h1"), "python3", "-c",
                "import socket, time\ns = socket.socket(); s.bind(('0.0.0.0', 18095)); s.listen(); time.sleep(600)")
                .start();
        try {
            await().atMost(SETTLE).untilAsserted(() -> assertThat(bindings().get("heldByHost").toString())
                    .as("h1's agent reports the port in its heartbeat").contains("\"port\":18095"));
            Api.Reply refused = bed.api.post("/v1/containers?wait=true", "{\"name\":\"shadow\",\"hostId\":\"h1\","
                    + "\"sandbox\":\"create\",\"networks\":[{\"network\":\"bridge\"}],"
                    + "\"ports\":[{\"hostPort\":18095,\"containerPort\":80,\"protocol\":\"tcp\"}]}");

            // as docker run, whose docker-proxy cannot bind it: refused in Docker's words, nothing left
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().get("message").asText())
                    .endsWith("Error starting userland proxy: listen tcp4 0.0.0.0:18095: bind: address already in use");
            assertThat(bed.api.get("/v1/containers/shadow").status()).isEqualTo(404);
        } finally {
            holder.destroyForcibly();
        }
    }

    /** The host port the nat-service reports for a container's port on h1, waiting until it is bound. */
    private int reportedHostPort(String containerName, int containerPort) {
        return await().atMost(SETTLE).until(() -> hostPortOf(containerName, containerPort), p -> p > 0);
    }

    private int hostPortOf(String containerName, int containerPort) {
        for (JsonNode b : bindings().get("bindings")) {
            if (b.get("containerName").asText().equals(containerName) && b.get("containerPort").asInt() == containerPort) {
                return b.get("hostPort").asInt();
            }
        }
        return -1;
    }

    private JsonNode refusalOf(String containerName) {
        List<JsonNode> found = new ArrayList<>();
        bindings().get("refused").forEach(r -> {
            if (r.get("containerName").asText().equals(containerName)) {
                found.add(r);
            }
        });
        return found.isEmpty() ? null : found.get(0);
    }

    private JsonNode bindings() {
        Api.Reply r = bed.nat.get("/v1/hosts/h1/port-bindings");
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    private static boolean curl(String netns, String url) {
        Shell.Result r = Shell.inNetns(netns, 10, "curl", "-s", "-g", "-o", "/dev/null", "-w", "%{http_code}",
                "--max-time", "3", url);
        return r.ok() && r.output().trim().equals("200");
    }
}
