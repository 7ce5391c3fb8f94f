package io.netplane.agent.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * HTTP/1.1 on the agent's local Unix socket, for Docker's plugin calls and CNI's, served by Vert.x
 * (already in Quarkus). Vert.x listens on a domain socket only with a native transport: netty's
 * epoll, whose linux-x86_64 native file host-agent depends on (Netty 4.1's NIO transport has no
 * Unix sockets, and the JDK's HTTP server no channel of its own to give). Its own Vertx instance,
 * so the socket does not depend on how Quarkus configured its transport. Requests are read on the
 * event loop and answered on worker threads, several at once (dockerd sends concurrent calls),
 * each in a bounded time since every call to ipam-service is.
 */
public final class LocalSocketServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalSocketServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WORKERS = 16;

    private final Path socket;
    private final Function<String, Route> routes;
    private final Vertx vertx;
    private final HttpServer server;

    /** {@code routes}: the route of a POST's path, null for a path no protocol has. */
    public LocalSocketServer(Path socket, Function<String, Route> routes) {
        this.socket = socket;
        this.routes = routes;
        this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1)
                .setWorkerPoolSize(WORKERS));
        if (!vertx.isNativeTransportEnabled()) {
            Throwable why = vertx.unavailableNativeTransportCause();
            vertx.close();
            throw new IllegalStateException("cannot serve the agent's socket " + socket
                    + ": Unix sockets need netty's epoll transport, which did not load: " + why, why);
        }
        try {
            Files.createDirectories(socket.toAbsolutePath().getParent());
            Files.deleteIfExists(socket); // left by an agent that did not stop cleanly
            this.server = vertx.createHttpServer().requestHandler(this::handle);
            server.listen(SocketAddress.domainSocketAddress(socket.toString())).toCompletionStage()
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            // whoever may connect commands this host's networking: root only, as dockerd's own socket
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            vertx.close();
            throw new UncheckedIOException("cannot serve the agent's socket " + socket, e);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            vertx.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot serve the agent's socket " + socket + ": " + e.getMessage(), e);
        }
        LOG.infof("the agent serves Docker's plugin protocol and CNI on %s", socket);
    }

    private void handle(HttpServerRequest req) {
        Route route = "POST".equals(req.method().name()) ? routes.apply(req.path()) : null;
        if (route == null) {
            // Docker's plugin protocol is the one that probes paths: its error field
            req.response().setStatusCode(404).putHeader("Content-Type", "application/vnd.docker.plugins.v1+json")
                    .end("{\"Err\":\"netplane's plugin has no " + req.method() + " "
                            + req.path().replaceAll("[^A-Za-z0-9./]", "?") + "\"}");
            return;
        }
        req.body().onSuccess(buf -> vertx.executeBlocking(() -> answer(req.path(), route, buf), false)
                .onComplete(done -> {
                    Route.Answer a = done.succeeded() ? done.result()
                            : route.refuse(new IllegalStateException(String.valueOf(done.cause()), done.cause()));
                    req.response().setStatusCode(a.status()).putHeader("Content-Type", route.contentType())
                            .end(Buffer.buffer(bytes(a)));
                })).onFailure(e -> req.response().setStatusCode(400).end());
    }

    private static Route.Answer answer(String path, Route route, Buffer body) {
        long start = System.nanoTime();
        JsonNode in;
        try {
            in = body.length() == 0 ? JSON.createObjectNode() : JSON.readTree(body.getBytes());
        } catch (IOException e) {
            return route.refuse(new Route.Unreadable("cannot read the request: " + e.getMessage()));
        }
        try {
            ObjectNode out = route.answer(in);
            // bench/docker and bench/cni read "took" to tell where a run's time goes
            LOG.debugf("%s took %d us %s: %s", path, (System.nanoTime() - start) / 1000, in, out);
            return new Route.Answer(200, out);
        } catch (RuntimeException e) {
            Route.Answer refused = route.refuse(e);
            LOG.debugf("%s took %d us %s: refused %s", path, (System.nanoTime() - start) / 1000, in, refused.body());
            return refused;
        }
    }

    private static byte[] bytes(Route.Answer a) {
        try {
            return a.body() == null ? new byte[0] : JSON.writeValueAsBytes(a.body());
        } catch (IOException e) {
            return "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("closing the plugin server: %s", e);
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("closing Vert.x: %s", e);
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.debugf("cannot remove %s: %s", socket, e);
        }
    }
}
