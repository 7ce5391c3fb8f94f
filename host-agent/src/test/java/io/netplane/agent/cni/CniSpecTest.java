package io.netplane.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netplane.agent.docker.DockerSettings;
import io.netplane.agent.host.HostConfig;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.reconcile.LocalReports;
import io.netplane.agent.socket.LocalPlugins;
import io.netplane.agent.support.Closing;
import io.netplane.agent.support.FakeIpamService;
import io.netplane.agent.support.Namespaces;
import io.netplane.localcluster.up.Shell;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real netplane-cni against the agent's socket, held to the CNI spec's rules: each malformed
 * call gets the spec's error code in the configuration's version, a message that says what to fix,
 * a non-zero exit, and allocates nothing (ipam-service is the small fake and sees no container).
 * podman and real allocation are in e2e's PodmanCniTest.
 */
class CniSpecTest {

    /** Built by the cni-plugin module, before this one. */
    static final Path SHIM = Path.of("../cni-plugin/target/netplane-cni").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTAINER = "63fdbce1f2a4ae0353b208adec53081c1d3c070d28c1059e52932fec0772eeac";

    private NamespaceManager manager;
    private Namespaces namespaces;
    private FakeIpamService ipam;
    private LocalPlugins plugins;
    private Path dir;
    private Path socket;
    private String netns;

    @BeforeEach
    void start() throws Exception {
        Namespaces.requireRoot();
        assertThat(SHIM).as("netplane-cni is built by the cni-plugin module").isExecutable();
        manager = new NamespaceManager();
        namespaces = new Namespaces(manager);
        netns = NamespaceManager.pathOf(namespaces.create("cni")).toString();
        dir = Files.createTempDirectory("np-cni");
        socket = dir.resolve("agent.sock");
        ipam = new FakeIpamService();
        ipam.addNetwork("pods", "overlay", "10.77.0.0/24");
        startAgent();
    }

    private void startAgent() {
        HostConfig host = new HostConfig("h1", null, "10.0.0.1", null);
        plugins = new LocalPlugins(new DockerSettings(socket, null, null, ipam.url()), host, manager, () -> { },
                () -> null, new LocalReports());
    }

    @AfterEach
    void stop() throws Exception {
        Closing.all(plugins, ipam, namespaces, manager);
        if (dir != null) {
            Shell.run("rm", "-rf", dir.toString());
        }
    }

    private Map<String, String> env(String command) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", CONTAINER);
        env.put("CNI_NETNS", netns);
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=web");
        env.put("CNI_PATH", "/usr/lib/cni");
        return env;
    }

    private String config(String version) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"pods\",\"type\":\"netplane-cni\",\"agentSocket\":\""
                + socket + "\"}";
    }

    private Shell.Result cni(Map<String, String> env, String stdin) {
        return Shell.run(List.of(SHIM.toString()), env, stdin.getBytes(StandardCharsets.UTF_8), 60);
    }

    /** Runs a call the spec says must fail; returns its error result after checking the common rules. */
    private JsonNode refused(Map<String, String> env, String stdin, int code, String version) throws Exception {
        Shell.Result r = cni(env, stdin);
        assertThat(r.exit()).as("exit of a refused call: %s %s", r.output(), r.errors()).isNotZero();
        JsonNode error = JSON.readTree(r.output());
        assertThat(error.path("code").asInt()).as("code of %s", r.output()).isEqualTo(code);
        assertThat(error.path("cniVersion").asText()).isEqualTo(version);
        assertThat(error.path("msg").asText()).isNotBlank();
        assertThat(ipam.containers).as("nothing allocated").isEmpty();
        return error;
    }

    @Test
    void versionIsAnsweredByTheShimAndAgreesWithTheAgent() throws Exception {
        plugins.close();
        plugins = null;
        Shell.Result r = cni(Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"1.0.0\"}");
        assertThat(r.exit()).isZero();
        List<String> versions = new ArrayList<>();
        JSON.readTree(r.output()).path("supportedVersions").forEach(v -> versions.add(v.asText()));
        assertThat(versions).isEqualTo(CniVersions.SUPPORTED);
        startAgent();
    }

    @Test
    void anUnknownVersionIsCodeOne() throws Exception {
        JsonNode e = refused(env("ADD"), config("0.2.0"), CniError.INCOMPATIBLE_VERSION, "1.0.0");
        assertThat(e.path("msg").asText()).contains("\"0.2.0\"").contains("1.0.0");
    }

    @Test
    void missingOrBadEnvironmentIsCodeFour() throws Exception {
        Map<String, String> noId = env("ADD");
        noId.put("CNI_CONTAINERID", null);
        assertThat(refused(noId, config("1.0.0"), CniError.INVALID_ENVIRONMENT, "1.0.0").path("msg").asText())
                .contains("CNI_CONTAINERID");
        Map<String, String> noNetns = env("ADD");
        noNetns.put("CNI_NETNS", null);
        assertThat(refused(noNetns, config("0.4.0"), CniError.INVALID_ENVIRONMENT, "0.4.0").path("msg").asText())
                .contains("CNI_NETNS");
        Map<String, String> passwd = env("ADD");
        passwd.put("CNI_NETNS", "/etc/passwd");
        assertThat(refused(passwd, config("1.0.0"), CniError.INVALID_ENVIRONMENT, "1.0.0").path("msg").asText())
                .contains("/etc/passwd");
        Map<String, String> badIf = env("ADD");
        badIf.put("CNI_IFNAME", "eth0/../x");
        refused(badIf, config("1.0.0"), CniError.INVALID_ENVIRONMENT, "1.0.0");
        Map<String, String> unknownArg = env("ADD");
        unknownArg.put("CNI_ARGS", "K8S_POD_NAME=web;COLOUR=blue");
        assertThat(refused(unknownArg, config("1.0.0"), CniError.INVALID_ENVIRONMENT, "1.0.0").path("msg").asText())
                .contains("COLOUR").contains("IgnoreUnknown");
        refused(env("FROB"), config("1.0.0"), CniError.INVALID_ENVIRONMENT, "1.0.0");
    }

    @Test
    void anUnreadableOrIncompleteConfigurationIsCodeSixOrSeven() throws Exception {
        refused(env("ADD"), "{\"agentSocket\":\"" + socket + "\",\"cniVersion\":\"1.0.0\",\"name\":",
                CniError.DECODING_FAILURE, "1.0.0");
        String noName = "{\"cniVersion\":\"1.0.0\",\"type\":\"netplane-cni\",\"agentSocket\":\"" + socket + "\"}";
        assertThat(refused(env("ADD"), noName, CniError.INVALID_CONFIG, "1.0.0").path("msg").asText()).contains("name");
        Map<String, String> badMac = env("ADD");
        badMac.put("CNI_ARGS", "IgnoreUnknown=1;MAC=01:00:5e:00:00:01");
        assertThat(refused(badMac, config("1.0.0"), CniError.INVALID_CONFIG, "1.0.0").path("msg").asText())
                .contains("multicast");
        String badPort = config("1.0.0").replace("}", ",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":\"x\","
                + "\"containerPort\":80}]}}");
        refused(env("ADD"), badPort, CniError.INVALID_CONFIG, "1.0.0");
    }

    @Test
    void anAgentThatCannotBeReachedIsTryAgainLaterAndABadSocketPathIsCodeSeven() throws Exception {
        plugins.close();
        plugins = null;
        JsonNode down = refused(env("ADD"), config("0.4.0"), CniError.TRY_AGAIN_LATER, "0.4.0");
        assertThat(down.path("msg").asText()).contains(socket.toString()).contains("not reachable");
        String relative = config("1.0.0").replace(socket.toString(), "agent.sock");
        assertThat(refused(env("ADD"), relative, CniError.INVALID_CONFIG, "1.0.0").path("msg").asText())
                .contains("agentSocket");
        startAgent();
    }

    @Test
    void checkWithoutAPreviousResultIsRefused() throws Exception {
        assertThat(refused(env("CHECK"), config("1.0.0"), CniError.INVALID_CONFIG, "1.0.0").path("msg").asText())
                .contains("prevResult");
    }

    @Test
    void delOfAnUnknownContainerSucceedsAndMayBeRepeated() {
        for (int i = 0; i < 2; i++) {
            Shell.Result r = cni(env("DEL"), config("1.0.0"));
            assertThat(r.exit()).as("DEL: %s %s", r.output(), r.errors()).isZero();
            assertThat(r.output()).isEmpty();
        }
    }

    @Test
    void aDelMadeWhileTheAgentIsDownIsDoneWhenItIsBack() throws Exception {
        Map<String, Object> container = Map.of("name", CniPlugin.containerName(CONTAINER), "hostId", "h1",
                "networks", List.of(Map.of("network", "pods")));
        assertThat(http("POST", "/v1/containers", JSON.writeValueAsString(container))).isEqualTo(201);
        assertThat(ipam.containers).containsKey(CniPlugin.containerName(CONTAINER));
        plugins.close();
        plugins = null;

        Shell.Result r = cni(env("DEL"), config("1.0.0"));
        assertThat(r.exit()).as("a DEL must succeed though the agent is down: %s %s", r.output(), r.errors()).isZero();
        Path queued = dir.resolve("cni-del").resolve(CONTAINER + "-eth0.json");
        assertThat(queued).exists();
        assertThat(ipam.containers).as("released only when the agent is back").isNotEmpty();

        startAgent();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(ipam.containers).isEmpty();
            assertThat(queued).doesNotExist();
        });
    }

    private int http(String method, String path, String body) throws Exception {
        var req = java.net.http.HttpRequest.newBuilder(ipam.url().resolve(path))
                .header("Content-Type", "application/json")
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
        return java.net.http.HttpClient.newHttpClient().send(req, java.net.http.HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
