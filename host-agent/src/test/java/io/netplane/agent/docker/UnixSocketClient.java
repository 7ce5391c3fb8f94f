package io.netplane.agent.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Speaks to the plugin as dockerd does: HTTP/1.1 POSTs over its Unix socket, with curl
 * {@code --unix-socket} (Java 17 has no such client). Vert.x's own HTTP client on a domain socket
 * was tried first and now and then never sent a request (about one in a thousand, on a fresh
 * connection too), while curl and dockerd were always answered: the test client is curl.
 */
final class UnixSocketClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATUS_MARK = "\n--status ";
    private final Path socket;

    UnixSocketClient(Path socket) {
        this.socket = socket;
    }

    record Answer(int status, String contentType, JsonNode body) {
    }

    Answer call(String path, Object body) throws Exception {
        byte[] bytes = body == null ? new byte[0] : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                : JSON.writeValueAsBytes(body);
        Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "30", "--unix-socket", socket.toString(),
                "-X", "POST", "-H", "Accept: application/vnd.docker.plugins.v1.2+json", "--data-binary", "@-",
                "-w", STATUS_MARK + "%{http_code} %{content_type}", "http://plugin" + path)
                .redirectError(ProcessBuilder.Redirect.appendTo(new File("/dev/stderr"))).start();
        curl.getOutputStream().write(bytes);
        curl.getOutputStream().close();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!curl.waitFor(40, TimeUnit.SECONDS) || curl.exitValue() != 0) {
            throw new IllegalStateException("curl to " + socket + path + " failed: " + out);
        }
        int mark = out.lastIndexOf(STATUS_MARK);
        String[] status = out.substring(mark + STATUS_MARK.length()).split(" ", 2);
        String text = out.substring(0, mark);
        return new Answer(Integer.parseInt(status[0]), status.length > 1 ? status[1] : "",
                text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text));
    }

    /** The answer's JSON of a call that must have been answered with HTTP 200. */
    JsonNode post(String path, Object body) throws Exception {
        Answer a = call(path, body);
        if (a.status() != 200) {
            throw new AssertionError(path + " answered " + a.status() + ": " + a.body());
        }
        return a.body();
    }

    @Override
    public void close() {
    }
}
