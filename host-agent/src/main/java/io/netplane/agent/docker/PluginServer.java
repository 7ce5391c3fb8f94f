package io.netplane.agent.docker;

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
import org.jboss.logging.Logger;

/**
 * HTTP/1.1 on the plugin's Unix socket, served by Vert.x (already in Quarkus). Vert.x listens on
 * a domain socket only with a native transport: netty's epoll, whose linux-x86_64 native file
 * host-agent depends on (Netty 4.1's NIO transport has no Unix sockets, and the JDK's HTTP server
 * no channel of its own to give). Its own Vertx instance, so the plugin does not depend on how
 * Quarkus configured its transport. Requests are read on the event loop and answered on worker
 * threads, several at once (dockerd sends concurrent calls), each in a bounded time since every
 * call to ipam-service is.
 */
final class PluginServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PluginServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CONTENT_TYPE = "application/vnd.docker.plugins.v1+json";
    private static final int WORKERS = 16;

    private final Path socket;
    private final PluginRoutes routes;
    private final Vertx vertx;
    private final HttpServer server;

    PluginServer(Path socket, PluginRoutes routes) {
        this.socket = socket;
        this.routes = routes;
        this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1)
                .setWorkerPoolSize(WORKERS));
        if (!vertx.isNativeTransportEnabled()) {
            Throwable why = vertx.unavailableNativeTransportCause();
            vertx.close();
            throw new IllegalStateException("cannot serve the Docker plugin on " + socket
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
            throw new UncheckedIOException("cannot serve the Docker plugin on " + socket, e);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            vertx.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot serve the Docker plugin on " + socket + ": " + e.getMessage(), e);
        }
        LOG.infof("Docker plugin netplane serves %s", socket);
    }

    private void handle(HttpServerRequest req) {
        PluginRoutes.Route route = "POST".equals(req.method().name()) ? routes.route(req.path()) : null;
        if (route == null) {
            req.response().setStatusCode(404).putHeader("Content-Type", CONTENT_TYPE)
                    .end("{\"Err\":\"netplane's plugin has no " + req.method() + " " + req.path().replaceAll("[^A-Za-z0-9./]", "?")
                            + "\"}");
            return;
        }
        req.body().onSuccess(buf -> vertx.executeBlocking(() -> answer(req.path(), route, buf), false)
                .onComplete(done -> {
                    byte[] body = done.succeeded() ? done.result() : fallback(route, done.cause());
                    req.response().setStatusCode(200).putHeader("Content-Type", CONTENT_TYPE).end(Buffer.buffer(body));
                })).onFailure(e -> req.response().setStatusCode(400).end());
    }

    private static byte[] answer(String path, PluginRoutes.Route route, Buffer body) throws IOException {
        ObjectNode out;
        long start = System.nanoTime();
        try {
            JsonNode in = body.length() == 0 ? JSON.createObjectNode() : JSON.readTree(body.getBytes());
            out = route.handler().apply(in);
            // bench/docker reads "took" to tell where a docker run's time goes
            LOG.debugf("%s took %d us %s: %s", path, (System.nanoTime() - start) / 1000, in, out);
        } catch (PluginError | IpamServiceClient.ServiceError e) {
            LOG.infof("%s refused: %s", path, e.getMessage());
            out = JSON.createObjectNode().put(route.errorField(), e.getMessage());
        } catch (IOException e) {
            out = JSON.createObjectNode().put(route.errorField(), "netplane's plugin cannot read the request: "
                    + e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s failed", path);
            out = JSON.createObjectNode().put(route.errorField(), "netplane's plugin failed: " + e.getMessage());
        }
        return JSON.writeValueAsBytes(out);
    }

    private static byte[] fallback(PluginRoutes.Route route, Throwable cause) {
        try {
            return JSON.writeValueAsBytes(JSON.createObjectNode().put(route.errorField(),
                    "netplane's plugin failed: " + cause));
        } catch (IOException e) {
            return "{}".getBytes();
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
