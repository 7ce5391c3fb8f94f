package io.netplane.agent.docker;

import io.netplane.agent.support.FakeIpamService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.support.Closing;
import io.netplane.agent.support.Namespaces;
import io.netplane.localcluster.up.Shell;
import io.netplane.events.NetworkCreated;
import io.netplane.events.model.IpamConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin under a real dockerd 20.10 running in a namespace that stands for a host (see
 * {@link SimulatedDockerHost}). ipam-service is the small fake; the reconciler is not running, so
 * the container's veth is not bridged: this is about what Docker and the engine sync do.
 */
class RealDockerdTest {

    private NamespaceManager manager;
    private Namespaces namespaces;
    private FakeIpamService ipam;
    private SimulatedDockerHost h1;
    private final List<NetworkCreated> desired = new CopyOnWriteArrayList<>();
    private volatile boolean caughtUp;

    @BeforeEach
    void start() throws Exception {
        Namespaces.requireRoot();
        manager = new NamespaceManager();
        namespaces = new Namespaces(manager);
        ipam = new FakeIpamService();
        h1 = new SimulatedDockerHost("h1", manager, namespaces, ipam.url(), () -> caughtUp ? List.copyOf(desired) : null);
    }

    @AfterEach
    void stop() throws Exception {
        Closing.all(h1, ipam, namespaces, manager);
    }

    private Shell.Result docker(String... args) {
        return h1.docker(args);
    }

    private String must(String... args) {
        return h1.must(args);
    }

    private ObjectNode fakeNetwork(String name) {
        synchronized (ipam.networks) {
            return ipam.networks.values().stream().filter(n -> n.get("name").asText().equals(name)).findFirst()
                    .orElse(null);
        }
    }

    @Test
    void aContainerGetsNetplanesAddressAndTheNetworkDockersName() throws Exception {
        caughtUp = true;
        must("network", "create", "-d", "netplane", "--ipam-driver", "netplane", "-o", "netplane.driver=bridge", "demo");
        await().atMost(Duration.ofSeconds(30)).until(() -> fakeNetwork("demo") != null);
        ObjectNode demo = fakeNetwork("demo");
        assertThat(demo.get("driver").asText()).isEqualTo("bridge");
        String subnet = demo.path("ipam").path(0).path("subnet").asText();
        assertThat(must("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}} {{(index .IPAM.Config 0).Gateway}}",
                "demo")).isEqualTo(subnet + " " + demo.path("ipam").path(0).path("gateway").asText());

        String id = must("run", "-d", "--name", "c1", "--hostname", "box", "--network", "demo", "--network-alias", "api",
                "busybox", "sleep", "600");
        JsonNode endpoint = ipam.containers.values().iterator().next().path("endpoints").path(0);
        assertThat(must("inspect", "-f", "{{.NetworkSettings.Networks.demo.IPAddress}}/"
                + "{{.NetworkSettings.Networks.demo.IPPrefixLen}} {{.NetworkSettings.Networks.demo.MacAddress}}", "c1"))
                .isEqualTo(endpoint.path("ipv4Address").asText() + " " + endpoint.path("macAddress").asText());
        assertThat(must("exec", "c1", "ip", "-o", "link", "show", "eth0")).contains("mtu 1500");
        assertThat(must("exec", "c1", "ip", "route")).contains("default via " + demo.path("ipam").path(0).path("gateway").asText());
        String adopt = "PUT /v1/endpoints/" + endpoint.path("id").asText() + "/container ";
        await().atMost(Duration.ofSeconds(30)).until(() -> ipam.requests.stream().anyMatch(r -> r.startsWith(adopt)));
        assertThat(ipam.requests.stream().filter(r -> r.startsWith(adopt)).findFirst().orElseThrow())
                .isEqualTo(adopt + "{\"id\":\"" + id + "\",\"name\":\"c1\",\"hostname\":\"box\",\"aliases\":[\"api\"]}");

        must("rm", "-f", "c1");
        await().atMost(Duration.ofSeconds(30)).until(() -> ipam.containers.isEmpty());
        must("network", "rm", "demo");
        assertThat(fakeNetwork("demo")).as("made for Docker, removed with it").isNull();
    }

    @Test
    void aNetplaneNetworkAppearsOnThisDockerdAndGoesWhenNetplaneRemovesIt() throws Exception {
        ObjectNode shared = ipam.addNetwork("shared", "overlay", "10.75.0.0/24");
        desired.add(new NetworkCreated(shared.get("id").asText(), 1, Instant.now(), NetworkCreated.SCHEMA_VERSION,
                "shared", "overlay", "local", true, false, false, false,
                List.of(new IpamConfig("10.75.0.0/24", null, "10.75.0.1", Map.of())), Map.of(), Map.of(), null, 1450,
                true, Instant.now()));
        caughtUp = true;
        await().atMost(Duration.ofSeconds(30)).until(() -> docker("network", "inspect", "shared").ok());
        assertThat(must("network", "inspect", "-f", "{{.Driver}} {{.IPAM.Driver}} {{.Internal}} "
                + "{{(index .IPAM.Config 0).Subnet}} {{.Options}}", "shared"))
                .isEqualTo("netplane netplane true 10.75.0.0/24 map[netplane.driver:overlay]");
        assertThat(ipam.networks).hasSize(1);
        Shell.Result twice = docker("network", "create", "-d", "netplane", "--ipam-driver", "netplane", "--ipam-opt",
                "netplane.network=shared", "again");
        assertThat(twice.output()).contains("netplane network shared (10.75.0.0/24) is already Docker network");

        desired.clear();
        ipam.networks.clear();
        await().atMost(Duration.ofSeconds(30)).until(() -> !docker("network", "inspect", "shared").ok());
    }

    /** The agent was down when Docker removed the container: the next agent releases what it held. */
    @Test
    void anEndpointWhoseContainerWentWithoutTellingThePluginIsReleased() throws Exception {
        caughtUp = true;
        must("network", "create", "-d", "netplane", "--ipam-driver", "netplane", "demo");
        String id = must("run", "-d", "--name", "c1", "--network", "demo", "busybox", "sleep", "600");
        await().atMost(Duration.ofSeconds(30)).until(() -> ipam.containers.containsKey(id));
        h1.stopPlugin();
        // as if c1 had been removed while the agent was down: Docker's id of it is one dockerd no longer has
        String gone = "f".repeat(64);
        Files.writeString(h1.stateFile(), Files.readString(h1.stateFile()).replace(id, gone));
        ipam.containers.put(gone, ipam.containers.remove(id));
        h1.startPlugin();
        await().atMost(Duration.ofSeconds(30)).until(() -> ipam.containers.isEmpty());
        assertThat(ipam.requests).contains("DELETE /v1/containers/" + gone + "?host=h1");
        assertThat(Files.readString(h1.stateFile())).doesNotContain(gone);
    }

    @Test
    void anUnknownOptionIsRefusedInDockersWords() {
        caughtUp = true;
        Shell.Result r = docker("network", "create", "-d", "netplane", "--ipam-driver", "netplane", "-o", "foo=bar", "bad");
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("unknown option foo: netplane's driver takes -o netplane.driver=bridge|overlay");
        assertThat(docker("network", "inspect", "bad").ok()).isFalse();
        assertThat(ipam.networks).as("nothing half-made").isEmpty();
    }
}
