package io.netplane.agent.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Speaks to the plugin as dockerd does: HTTP/1.1 POSTs over its Unix socket (Java 17 has no such client). */
final class UnixSocketClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    private final HttpClient http = vertx.createHttpClient();
    private final SocketAddress socket;

    UnixSocketClient(Path socket) {
        this.socket = SocketAddress.domainSocketAddress(socket.toString());
    }

    record Answer(int status, String contentType, JsonNode body) {
    }

    Answer call(String path, Object body) throws Exception {
        byte[] bytes = body == null ? new byte[0] : body instanceof String s ? s.getBytes() : JSON.writeValueAsBytes(body);
        return http.request(new RequestOptions().setServer(socket).setMethod(HttpMethod.POST).setURI(path)
                        .putHeader("Accept", "application/vnd.docker.plugins.v1.2+json"))
                .compose(req -> req.send(Buffer.buffer(bytes)))
                .compose(res -> res.body().map(b -> new Answer(res.statusCode(), res.getHeader("Content-Type"),
                        read(b))))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The answer's JSON of a call that must have been answered with HTTP 200. */
    JsonNode post(String path, Object body) throws Exception {
        Answer a = call(path, body);
        if (a.status() != 200) {
            throw new AssertionError(path + " answered " + a.status() + ": " + a.body());
        }
        return a.body();
    }

    private static JsonNode read(Buffer b) {
        try {
            return JSON.readTree(b.getBytes());
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + b, e);
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
