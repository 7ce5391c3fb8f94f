package io.netplane.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netplane.localcluster.up.Shell;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * netplane-cni's own part, against a stand-in agent on a Unix socket: what it sends, and what it
 * makes of an agent that answers badly. (CniSpecTest runs it against the real agent.)
 */
class CniShimTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Serves one connection: returns what the shim sent, after answering {@code answer} and closing. */
    private CompletableFuture<String> agentAnswering(Path socket, String answer) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel c = server.accept()) {
                ByteBuffer in = ByteBuffer.allocate(1 << 20);
                String request = "";
                while (c.read(in) >= 0) {
                    request = new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
                    int head = request.indexOf("\r\n\r\n");
                    if (head > 0) {
                        int length = Integer.parseInt(request.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
                        if (in.position() >= head + 4 + length) {
                            break;
                        }
                    }
                }
                c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                return request;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Shell.Result cni(Path socket, String config) {
        return Shell.run(List.of(CniSpecTest.SHIM.toString()), Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "c1",
                "CNI_IFNAME", "eth0", "CNI_NETNS", "/run/netns/x", "CNI_ARGS", "IgnoreUnknown=1"),
                config.getBytes(StandardCharsets.UTF_8), 60);
    }

    @Test
    void theCallIsForwardedWhole() throws Exception {
        Path socket = dir.resolve("a.sock");
        String result = "{\"cniVersion\":\"1.0.0\"} ";
        CompletableFuture<String> seen = agentAnswering(socket, "HTTP/1.1 200 OK\r\nContent-Length: " + result.length()
                + "\r\nConnection: close\r\n\r\n" + result);
        String config = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\\\"q\",\"runtimeConfig\":{\"agentSocket\":\"/elsewhere\"},"
                + "\"agentSocket\":\"" + socket + "\",\"note\":\"caf\u00e9\\n\"}";
        Shell.Result r = cni(socket, config);
        assertThat(r.exit()).as("%s %s", r.output(), r.errors()).isZero();
        assertThat(r.output()).isEqualTo(result);
        String request = seen.get();
        assertThat(request).startsWith("POST /cni/ADD HTTP/1.1\r\n");
        JsonNode body = JSON.readTree(request.substring(request.indexOf("\r\n\r\n") + 4));
        assertThat(body.path("config").asText()).isEqualTo(config);
        assertThat(body.path("containerId").asText()).isEqualTo("c1");
        assertThat(body.path("path").isNull()).as("an unset variable arrives as null").isTrue();
    }

    @Test
    void anAgentThatClosesWithoutAnswerOrAnswersGarbageIsTryAgainLater() throws Exception {
        for (String answer : List.of("", "not http at all", "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n")) {
            Path socket = dir.resolve("b" + answer.length() + ".sock");
            agentAnswering(socket, answer);
            Shell.Result r = cni(socket, "{\"cniVersion\":\"0.4.0\",\"name\":\"n\",\"agentSocket\":\"" + socket + "\"}");
            assertThat(r.exit()).as("answer %s", answer).isNotZero();
            JsonNode error = JSON.readTree(r.output());
            assertThat(error.path("code").asInt()).as("answer %s: %s", answer, r.output()).isEqualTo(11);
            assertThat(error.path("cniVersion").asText()).isEqualTo("0.4.0");
            assertThat(error.path("msg").asText()).contains("no usable answer");
        }
    }

    @Test
    void aDelQueuedWhileTheAgentIsDownNeverLeavesItsDirectory() throws Exception {
        Path socket = dir.resolve("down.sock");
        Shell.Result r = Shell.run(List.of(CniSpecTest.SHIM.toString()), Map.of("CNI_COMMAND", "DEL",
                "CNI_CONTAINERID", "../../etc/x", "CNI_IFNAME", "eth0"),
                ("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"agentSocket\":\"" + socket + "\"}")
                        .getBytes(StandardCharsets.UTF_8), 60);
        assertThat(r.exit()).isNotZero();
        assertThat(JSON.readTree(r.output()).path("code").asInt()).isEqualTo(4);
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).toList()).as("nothing written").isEmpty();
        }
    }
}
