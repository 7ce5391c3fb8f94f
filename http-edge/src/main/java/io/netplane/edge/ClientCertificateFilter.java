package io.netplane.edge;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Authorises each request before any resource sees it. Plain HTTP is served only on loopback
 * ({@link ExposureGuard}), so it is let through as a local user would be by dockerd's socket; a
 * request over TLS needs a client certificate whose role allows its method, except the
 * orchestrator's liveness and readiness probes.
 */
@ApplicationScoped
public class ClientCertificateFilter {

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::authorise);
    }

    private void authorise(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!request.isSSL() || isProbe(request)) {
            ctx.next();
            return;
        }
        Optional<X509Certificate> certificate = clientCertificate(request);
        if (certificate.isEmpty()) {
            deny(ctx, 401, "a client certificate is required over TLS (docker: DOCKER_TLS_VERIFY=1 and"
                    + " DOCKER_CERT_PATH; curl: --cert and --key)");
            return;
        }
        Optional<Role> role = Role.of(certificate.get().getSubjectX500Principal());
        String method = request.method().name();
        if (role.isEmpty()) {
            deny(ctx, 403, "client certificate names no netplane role: its subject needs OU=operator or OU=read-only");
        } else if (!role.get().allows(method)) {
            deny(ctx, 403, "client certificate with role " + role.get().unit + " may not " + method
                    + " here: changes need a certificate with OU=operator");
        } else {
            ctx.next();
        }
    }

    /**
     * Liveness and readiness answer without a certificate, as orchestrators probe them without
     * one; they say UP or DOWN and name checks, nothing about the network.
     */
    static boolean isProbe(HttpServerRequest request) {
        String path = request.path();
        return request.method().name().equals("GET")
                && (path.equals("/q/health/live") || path.equals("/q/health/ready"));
    }

    private static Optional<X509Certificate> clientCertificate(HttpServerRequest request) {
        try {
            Certificate[] chain = request.sslSession() == null ? null : request.sslSession().getPeerCertificates();
            if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return Optional.empty();
            }
            return Optional.of(leaf);
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    private static void deny(RoutingContext ctx, int status, String message) {
        // Docker's error shape, which the REST API shares: the docker CLI prints the message as is.
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("message", message).encode());
    }
}
