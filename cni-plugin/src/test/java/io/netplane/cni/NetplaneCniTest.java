package io.netplane.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built netplane-cni against a fake agent on a Unix socket: what it sends, what it prints, how it exits. */
class NetplaneCniTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSIONS =
            "{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\"]}";

    @TempDir
    Path dir;

    private Path socket() {
        return dir.resolve("agent.sock");
    }

    private static Map<String, String> env(String command) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "c0ffee.1_a-b");
        env.put("CNI_NETNS", "/var/run/netns/cni-1234");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=web");
        env.put("CNI_PATH", "/opt/cni/bin:/usr/lib/cni");
        return env;
    }

    private static byte[] config(Object socket, String version) {
        return ("{\"cniVersion\":\"" + version + "\",\"name\":\"pods\",\"type\":\"netplane-cni\",\"agentSocket\":\""
                + socket + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static String http(int status, String body) {
        return "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** The shim's own error: exit 1 and exactly one error object on stdout. */
    private static JsonNode assertCniError(Shim.Result r, int code, String version) throws Exception {
        assertThat(r.exit()).as("exit; stdout %s, stderr %s", r.out(), r.stderr()).isEqualTo(1);
        JsonNode e = JSON.readTree(r.stdout());
        assertThat(e.path("code").asInt()).as("code of %s", r.out()).isEqualTo(code);
        assertThat(e.path("cniVersion").asText()).isEqualTo(version);
        assertThat(e.path("msg").asText()).isNotBlank();
        return e;
    }

    private static String head(byte[] request) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf("\r\n\r\n") + 2);
    }

    private static byte[] body(byte[] request) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        return Arrays.copyOfRange(request, text.indexOf("\r\n\r\n") + 4, request.length);
    }

    @Test
    void versionIsAnsweredWithoutContactingAnything() throws Exception {
        Path missing = dir.resolve("none/agent.sock");
        Shim.Result alone = Shim.run(Map.of("CNI_COMMAND", "VERSION"), config(missing, "1.0.0"));
        assertThat(alone.exit()).isZero();
        assertThat(alone.out()).isEqualTo(VERSIONS);
        assertThat(dir).isEmptyDirectory();

        try (ServerSocketChannel listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listening.bind(UnixDomainSocketAddress.of(socket()));
            listening.configureBlocking(false);
            Shim.Result r = Shim.run(Map.of("CNI_COMMAND", "VERSION"), config(socket(), "0.4.0"));
            assertThat(r.out()).isEqualTo(VERSIONS);
            assertThat(listening.accept()).as("a connection the shim made").isNull();
        }
    }

    @Test
    void addIsForwardedWithTheEnvironmentAndTheExactConfig() throws Exception {
        // the top-level agentSocket sits between two nested decoys; strings hold quotes, backslashes,
        // brackets and non-ASCII; raw newlines and tabs separate members
        String text = "{\"cniVersion\":\"0.4.0\",\"name\":\"q\\\"uo\\\\te\",\"type\":\"netplane-cni\",\n"
                + "\"runtimeConfig\":{\"agentSocket\":\"/nonexistent/decoy.sock\",\"portMappings\":[{\"hostPort\":8080,"
                + "\"containerPort\":80,\"protocol\":\"tcp\"}]},\n"
                + "\t\"agentSocket\":\"" + socket() + "\",\r\n"
                + "\"x\":[true,false,null,-1.5e3,{\"agentSocket\":\"/no.sock\"},\"]}\\\",{\"],\"agentSocketX\":\"/no\","
                + "\"note\":\"z\u00fcrich \u65e5\u672c \ud83d\ude42 line\\nbreak \\u0041\"}\n";
        byte[] stdin = text.getBytes(StandardCharsets.UTF_8);
        Map<String, String> env = env("ADD");
        env.remove("CNI_PATH");
        env.put("CNI_ARGS", "K8S_POD_NAME=a\"b\\c\u0001\u001f");
        try (FakeAgent agent = FakeAgent.answering(socket(), http(200, "{}"))) {
            Shim.Result r = Shim.run(env, stdin);
            assertThat(r.exit()).as("stderr %s", r.stderr()).isZero();
            byte[] request = agent.request();
            byte[] body = body(request);
            assertThat(head(request)).startsWith("POST /cni/ADD HTTP/1.1\r\n")
                    .contains("\r\nHost: netplane\r\n", "\r\nContent-Type: application/json\r\n",
                            "\r\nContent-Length: " + body.length + "\r\n", "\r\nConnection: close\r\n");
            JsonNode sent = JSON.readTree(body);
            assertThat(sent.path("command").textValue()).isEqualTo("ADD");
            assertThat(sent.path("containerId").textValue()).isEqualTo("c0ffee.1_a-b");
            assertThat(sent.path("netns").textValue()).isEqualTo("/var/run/netns/cni-1234");
            assertThat(sent.path("ifname").textValue()).isEqualTo("eth0");
            assertThat(sent.path("args").textValue()).isEqualTo("K8S_POD_NAME=a\"b\\c\u0001\u001f");
            assertThat(sent.has("path") && sent.get("path").isNull()).as("CNI_PATH unset: null in %s", sent).isTrue();
            assertThat(sent.path("config").textValue().getBytes(StandardCharsets.UTF_8)).isEqualTo(stdin);
            List<String> fields = new java.util.ArrayList<>();
            sent.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("command", "containerId", "netns", "ifname", "args", "path", "config");
        }
    }

    @Test
    void aCommandThatIsNotAWordGoesToThePathInvalidWithItsValueInTheBody() throws Exception {
        String refusal = "{\"cniVersion\":\"1.0.0\",\"code\":4,\"msg\":\"unknown CNI_COMMAND\"}";
        try (FakeAgent agent = FakeAgent.answering(socket(), http(400, refusal))) {
            Shim.Result r = Shim.run(env("ad/../d"), config(socket(), "1.0.0"));
            assertThat(r.out()).isEqualTo(refusal);
            assertThat(head(agent.request())).startsWith("POST /cni/INVALID HTTP/1.1\r\n");
            assertThat(JSON.readTree(body(agent.request())).path("command").textValue()).isEqualTo("ad/../d");
        }
        Map<String, String> none = env("x");
        none.remove("CNI_COMMAND");
        try (FakeAgent agent = FakeAgent.answering(socket(), http(400, refusal))) {
            Shim.Result r = Shim.run(none, config(socket(), "1.0.0"));
            assertThat(r.exit()).isEqualTo(1);
            assertThat(head(agent.request())).startsWith("POST /cni/INVALID HTTP/1.1\r\n");
            JsonNode sent = JSON.readTree(body(agent.request()));
            assertThat(sent.has("command") && sent.get("command").isNull()).as("command null in %s", sent).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n{\"ips\":[\"\u00e9\"],\"x\":1}",
        "HTTP/1.0 200 OK\r\ncontent-length:  20 \r\n\r\n{\"ips\":[\"\u00e9\"],\"x\":1}trailing bytes",
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"ips\":[\"\u00e9\"],\"x\":1}"})
    void aSuccessIsRelayedExactlyByContentLengthOrToTheEnd(String answer) throws Exception {
        try (FakeAgent agent = FakeAgent.answering(socket(), answer)) {
            Shim.Result r = Shim.run(env("ADD"), config(socket(), "1.0.0"));
            assertThat(r.exit()).as("stderr %s", r.stderr()).isZero();
            assertThat(r.out()).isEqualTo("{\"ips\":[\"\u00e9\"],\"x\":1}");
        }
    }

    @Test
    void anEmptySuccessPrintsNothing() throws Exception {
        try (FakeAgent agent = FakeAgent.answering(socket(), http(200, ""))) {
            Shim.Result r = Shim.run(env("DEL"), config(socket(), "1.0.0"));
            assertThat(r.exit()).isZero();
            assertThat(r.stdout()).isEmpty();
        }
    }

    @Test
    void theAgentsRefusalIsRelayedWithExitOne() throws Exception {
        String refusal = "{\"cniVersion\":\"0.4.0\",\"code\":100,\"msg\":\"port 8080 is taken\",\"details\":\"by web\"}";
        try (FakeAgent agent = FakeAgent.answering(socket(), http(400, refusal))) {
            Shim.Result r = Shim.run(env("ADD"), config(socket(), "0.4.0"));
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).isEqualTo(refusal);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 502 Oops\r\n\r\n",
        "hello, this is not HTTP\r\n\r\n{}",
        "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"short\":1}",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2x\r\n\r\n{}",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"})
    void anAnswerThatCannotBeUsedIsTryAgainLater(String answer) throws Exception {
        try (FakeAgent agent = FakeAgent.answering(socket(), answer)) {
            JsonNode e = assertCniError(Shim.run(env("ADD"), config(socket(), "0.3.1")), 11, "0.3.1");
            assertThat(e.path("msg").asText()).contains("no usable answer").contains(socket().toString());
            assertThat(e.path("details").asText()).isNotBlank();
        }
    }

    @Test
    void anAgentThatHangsUpIsTryAgainLater() throws Exception {
        try (FakeAgent agent = FakeAgent.hangingUp(socket())) {
            JsonNode e = assertCniError(Shim.run(env("CHECK"), config(socket(), "1.0.0")), 11, "1.0.0");
            assertThat(e.path("msg").asText()).contains("no usable answer");
        }
    }

    @Test
    void anUnreachableAgentIsTryAgainLaterInTheConfigsVersion() throws Exception {
        Shim.Result r = Shim.run(env("ADD"), config(socket(), "0.4.0"));
        JsonNode e = assertCniError(r, 11, "0.4.0");
        assertThat(e.path("msg").asText()).contains(socket().toString()).contains("not reachable");
        assertThat(e.path("details").asText()).isEqualTo("No such file or directory");
        assertThat(dir).as("an ADD is never queued").isEmptyDirectory();
    }

    @Test
    void aDelWhileTheAgentIsDownIsQueuedAsTheRequestItWouldHaveSent() throws Exception {
        byte[] stdin = config(socket(), "1.0.0");
        byte[] sent;
        try (FakeAgent agent = FakeAgent.answering(socket(), http(200, ""))) {
            assertThat(Shim.run(env("DEL"), stdin).exit()).isZero();
            sent = body(agent.request());
        }
        Shim.Result r = Shim.run(env("DEL"), stdin);
        assertThat(r.exit()).as("stdout %s stderr %s", r.out(), r.stderr()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("queued");
        Path spool = dir.resolve("cni-del");
        Path queued = spool.resolve("c0ffee.1_a-b-eth0.json");
        assertThat(Files.readAllBytes(queued)).isEqualTo(sent);
        try (Stream<Path> files = Files.list(spool)) {
            assertThat(files).as("no temporary file left").containsExactly(queued);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spool))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(queued))).isEqualTo("rw-------");

        Shim.Result again = Shim.run(env("DEL"), stdin);
        assertThat(again.exit()).as("a repeated DEL replaces its file").isZero();
        assertThat(Files.readAllBytes(queued)).isEqualTo(sent);
    }

    @Test
    void aDelWithAContainerIdThatIsNotANameIsRefusedAndWritesNothing() throws Exception {
        Path sock = dir.resolve("a/b/agent.sock");
        Files.createDirectories(sock.getParent());
        for (String id : new String[] {"../../etc", "-x", "", "a/b", "a".repeat(257)}) {
            Map<String, String> env = env("DEL");
            env.put("CNI_CONTAINERID", id);
            JsonNode e = assertCniError(Shim.run(env, config(sock, "1.0.0")), 4, "1.0.0");
            assertThat(e.path("msg").asText()).contains("CNI_CONTAINERID");
        }
        Map<String, String> none = env("DEL");
        none.remove("CNI_CONTAINERID");
        assertThat(assertCniError(Shim.run(none, config(sock, "1.0.0")), 4, "1.0.0").path("msg").asText())
                .contains("CNI_CONTAINERID");
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(p -> !Files.isDirectory(p) || p.endsWith("cni-del"))).isEmpty();
        }
    }

    @Test
    void aDelThatCannotBeQueuedIsAnIoFailureAndFollowsNoLink() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve("cni-del"), elsewhere);
        JsonNode e = assertCniError(Shim.run(env("DEL"), config(socket(), "1.0.0")), 5, "1.0.0");
        assertThat(e.path("msg").asText()).contains("cannot be queued").contains(dir.resolve("cni-del").toString());
        assertThat(e.path("details").asText()).isNotBlank();
        assertThat(elsewhere).isEmptyDirectory();

        Files.delete(dir.resolve("cni-del"));
        Files.writeString(dir.resolve("cni-del"), "a file");
        assertCniError(Shim.run(env("DEL"), config(socket(), "1.0.0")), 5, "1.0.0");
        assertThat(dir.resolve("cni-del")).hasContent("a file");
    }

    @Test
    void aSpoolNameOverTheFileSystemsLimitIsAnIoFailure() throws Exception {
        Map<String, String> env = env("DEL");
        env.put("CNI_CONTAINERID", "a".repeat(250)); // valid, but "<id>-eth0.json" is over NAME_MAX (255)
        JsonNode e = assertCniError(Shim.run(env, config(socket(), "1.0.0")), 5, "1.0.0");
        assertThat(e.path("details").asText()).isEqualTo("File name too long");
        assertThat(dir).as("the name is checked before anything is made").isEmptyDirectory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "eth/0", "eth:0", "eth 0", "abcdefghijklmnop", "eth\u007f0", "eth\t0"})
    void aDelWithAnInterfaceNameLinuxRefusesIsRefused(String ifname) throws Exception {
        Map<String, String> env = env("DEL");
        env.put("CNI_IFNAME", ifname);
        JsonNode e = assertCniError(Shim.run(env, config(socket(), "1.0.0")), 4, "1.0.0");
        assertThat(e.path("msg").asText()).contains("CNI_IFNAME");
        assertThat(dir.resolve("cni-del")).doesNotExist();
    }

    @Test
    void theLongestInterfaceNameIsQueued() throws Exception {
        Map<String, String> env = env("DEL");
        env.put("CNI_IFNAME", "abcdefghijklmn~");
        assertThat(Shim.run(env, config(socket(), "1.0.0")).exit()).isZero();
        assertThat(dir.resolve("cni-del/c0ffee.1_a-b-abcdefghijklmn~.json")).isRegularFile();
    }

    @Test
    void anAgentSocketThatIsNotAnAbsolutePathThatFitsIsCodeSeven() throws Exception {
        String longest = "/" + "a".repeat(106); // 107 bytes and the NUL fill sun_path's 108
        for (String bad : new String[] {"agent.sock", "", longest + "a"}) {
            JsonNode e = assertCniError(Shim.run(env("ADD"), config(bad, "0.4.0")), 7, "0.4.0");
            assertThat(e.path("msg").asText()).contains("agentSocket");
        }
        byte[] number = "{\"cniVersion\":\"1.0.0\",\"agentSocket\":5}".getBytes(StandardCharsets.UTF_8);
        assertThat(assertCniError(Shim.run(env("ADD"), number), 7, "1.0.0").path("msg").asText())
                .contains("agentSocket");
        assertCniError(Shim.run(env("ADD"), config(longest, "0.4.0")), 11, "0.4.0");
    }

    @Test
    void aConfigOverOneMebibyteIsCodeSix() throws Exception {
        byte[] head = ("{\"cniVersion\":\"1.0.0\",\"agentSocket\":\"" + socket() + "\",\"pad\":\"")
                .getBytes(StandardCharsets.UTF_8);
        byte[] exact = new byte[1 << 20];
        Arrays.fill(exact, (byte) 'p');
        System.arraycopy(head, 0, exact, 0, head.length);
        exact[exact.length - 2] = '"';
        exact[exact.length - 1] = '}';
        assertCniError(Shim.run(env("ADD"), exact), 11, "1.0.0");

        byte[] over = Arrays.copyOf(exact, exact.length + 1);
        over[over.length - 2] = ' ';
        over[over.length - 1] = '}';
        JsonNode e = assertCniError(Shim.run(env("ADD"), over), 6, "1.0.0");
        assertThat(e.path("msg").asText()).contains("1 MiB");
    }
}
