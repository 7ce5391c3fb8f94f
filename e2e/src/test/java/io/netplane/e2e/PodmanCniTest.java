package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netplane.localcluster.up.DockerPaths;
import io.netplane.localcluster.up.PodmanEngine;
import io.netplane.localcluster.up.ServiceProcess;
import io.netplane.localcluster.up.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real podman (Debian's, CNI backend) on two simulated hosts, netplane its CNI network through
 * netplane-cni and each host's agent: cluster-unique addresses, ping and names across hosts on an
 * overlay, published ports reached from another host, and addresses released by {@code podman rm},
 * also when the agent restarted in between or was down at the time.
 */
class PodmanCniTest extends Scenario {

    /** Built by the cni-plugin module, before this one. */
    static final Path CNI_BIN = Path.of("../cni-plugin/target").toAbsolutePath().normalize();

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, PodmanEngine> engines = new HashMap<>();

    /** podman on host, made on first use and removed (with its containers) after the test. */
    private PodmanEngine podman(String host) {
        return engines.computeIfAbsent(host, h -> {
            try {
                Path dir = Files.createTempDirectory("netplane-e2e-podman-" + h + "-");
                PodmanEngine p = PodmanEngine.start(new PodmanEngine.Config(bed.hostNetns(h), dir,
                        DockerPaths.pluginSocket(bed.hostNetns(h)), CNI_BIN));
                onCleanup(p::close);
                return p;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private String must(String host, String... args) {
        Shell.Result r = podman(host).podman(args);
        assertThat(r.ok()).as("podman %s on %s: %s", String.join(" ", args), host, r.output()).isTrue();
        return r.output().trim();
    }

    /** A netplane overlay made through the API, a CNI network of the same name on each host's podman. */
    private void overlay(String name, String subnet, Map<String, String> cniVersionByHost) {
        network("{\"name\":\"" + name + "\",\"driver\":\"overlay\",\"ipam\":[{\"subnet\":\"" + subnet + "\"}]}");
        cniVersionByHost.forEach((host, version) -> podman(host).network(name, name, version));
    }

    /** podman run -d on host; the container's full id. */
    private String run(String host, String name, String network, String... command) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", network));
        args.addAll(List.of(command.length == 0 ? new String[] {"busybox", "sleep", "100000"} : command));
        return must(host, args.toArray(String[]::new));
    }

    private String address(String host, String container, String network) {
        return must(host, "inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}",
                container);
    }

    private Shell.Result exec(String host, String container, String... command) {
        List<String> args = new ArrayList<>(List.of("exec", container));
        args.addAll(List.of(command));
        return podman(host).podman(args.toArray(String[]::new));
    }

    /** netplane's record of the CNI container, or null when it has none. */
    private JsonNode netplaneContainer(String host, String id) {
        Api.Reply r = bed.api.get("/v1/containers/cni-" + id + "?host=" + host);
        return r.status() == 404 ? null : r.body();
    }

    @Test
    void containersOnTwoHostsGetClusterUniqueAddressesPingAndResolveEachOther() {
        overlay("cnimesh", "10.150.0.0/24", Map.of("h1", "1.0.0", "h2", "0.4.0"));
        String a = run("h1", "pa", "cnimesh");
        String b = run("h2", "pb", "cnimesh");
        String ipA = address("h1", "pa", "cnimesh");
        String ipB = address("h2", "pb", "cnimesh");
        assertThat(ipA).startsWith("10.150.0.").isNotEqualTo(ipB);
        assertThat(ipB).startsWith("10.150.0.");
        // netplane holds them, by host, cluster-wide
        assertThat(netplaneContainer("h1", a).path("endpoints").path(0).path("ipv4Address").asText())
                .isEqualTo(ipA + "/24");
        assertThat(netplaneContainer("h2", b).path("endpoints").path(0).path("ipv4Address").asText())
                .isEqualTo(ipB + "/24");
        assertThat(exec("h1", "pa", "ip", "link", "show", "eth0").output()).contains("mtu 1450");

        await().atMost(SETTLE).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            Shell.Result ping = exec("h1", "pa", "ping", "-c", "1", "-W", "1", ipB);
            assertThat(ping.ok()).as("ping pb's address from pa: %s", ping.output()).isTrue();
        });
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            assertThat(exec("h1", "pa", "nslookup", "pb").output()).contains(ipB);
            assertThat(exec("h2", "pb", "ping", "-c", "1", "-W", "1", "pa").ok()).isTrue();
        });
    }

    @Test
    void aPublishedPortIsReachedFromAnotherHostAndFromTheHostItself() {
        overlay("cniweb", "10.151.0.0/24", Map.of("h1", "1.0.0"));
        must("h1", "run", "-d", "--name", "web", "--network", "cniweb", "-p", "18093:80", "busybox",
                "sh", "-c", "echo hello-from-podman > /index.html && httpd -f -p 80 -h /");
        assertPublished("h1", "h2", 18093, "hello-from-podman");
        assertThat(must("h1", "port", "web")).contains("80/tcp -> 0.0.0.0:18093");
    }

    @Test
    void removingAContainerReleasesItsAddressAlsoAfterOrDuringAnAgentRestart() {
        overlay("cnirm", "10.152.0.0/24", Map.of("h1", "1.0.0"));
        String first = run("h1", "r1", "cnirm");
        assertThat(netplaneContainer("h1", first)).isNotNull();
        must("h1", "rm", "-f", "-t", "0", "r1");
        assertThat(netplaneContainer("h1", first)).as("podman rm released it").isNull();

        ServiceProcess agent = agent("h1");
        String second = run("h1", "r2", "cnirm");
        agent.stop();
        agent.start();
        assertThat(agent.awaitReady(Duration.ofSeconds(90))).as("agent h1 ready again").isTrue();
        must("h1", "rm", "-f", "-t", "0", "r2");
        assertThat(netplaneContainer("h1", second)).as("a DEL after the agent restarted").isNull();

        String third = run("h1", "r3", "cnirm");
        agent.stop();
        try {
            must("h1", "rm", "-f", "-t", "0", "r3");
            assertThat(netplaneContainer("h1", third)).as("held until the agent is back").isNotNull();
        } finally {
            agent.start();
        }
        assertThat(agent.awaitReady(Duration.ofSeconds(90))).as("agent h1 ready again").isTrue();
        await().atMost(SETTLE).untilAsserted(() -> assertThat(netplaneContainer("h1", third))
                .as("the DEL queued while the agent was down").isNull());
    }

    @Test
    void checkAgreesWithTheKernelUntilTheContainerLosesItsAddress() throws IOException {
        overlay("cnichk", "10.153.0.0/24", Map.of("h1", "1.0.0"));
        String id = run("h1", "c1", "cnichk");
        // the result podman's libcni cached at ADD is the prevResult a runtime gives CHECK
        JsonNode cached = JSON.readTree(Files.readAllBytes(Path.of("/var/lib/cni/results/cnichk-" + id + "-eth0")));
        ObjectNode config = JSON.createObjectNode().put("cniVersion", "1.0.0").put("name", "cnichk")
                .put("type", PodmanEngine.CNI_PLUGIN).put("network", "cnichk")
                .put("agentSocket", DockerPaths.pluginSocket(bed.hostNetns("h1")).toString());
        config.set("prevResult", cached.get("result"));
        String netns = netplaneContainer("h1", id).path("sandbox").asText();
        Map<String, String> env = Map.of("CNI_COMMAND", "CHECK", "CNI_CONTAINERID", id, "CNI_NETNS", netns,
                "CNI_IFNAME", "eth0", "CNI_PATH", CNI_BIN.toString());
        List<String> plugin = List.of(CNI_BIN.resolve(PodmanEngine.CNI_PLUGIN).toString());

        Shell.Result same = Shell.run(plugin, env, JSON.writeValueAsBytes(config), 60);
        assertThat(same.exit()).as("CHECK of an intact container: %s %s", same.output(), same.errors()).isZero();

        String address = address("h1", "c1", "cnichk") + "/24";
        Shell.must("nsenter", "--net=" + netns, "ip", "addr", "del", address, "dev", "eth0");
        Shell.Result lost = Shell.run(plugin, env, JSON.writeValueAsBytes(config), 60);
        assertThat(lost.exit()).isNotZero();
        JsonNode error = JSON.readTree(lost.output());
        assertThat(error.path("code").asInt()).isEqualTo(101);
        assertThat(error.path("msg").asText()).contains("no address " + address);
    }

    private ServiceProcess agent(String host) {
        return bed.deployment.processes().stream().filter(p -> p.name.equals("host-agent-" + host)).findFirst()
                .orElseThrow();
    }
}
