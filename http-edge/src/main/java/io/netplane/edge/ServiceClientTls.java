package io.netplane.edge;

import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The TLS a netplane service or agent uses when it calls another one's HTTP API (ipam-service
 * booking ports with nat-service, the agent asking ipam-service): the client side of the rule this
 * module enforces. A call to an {@code https} address presents the certificate
 * {@code netplane.client-tls.cert} with its key {@code netplane.client-tls.key} (PEM; its OU must be
 * {@code operator}) and trusts only the authority {@code netplane.client-tls.ca}; a call to
 * {@code http} needs none, as the callee serves plain HTTP on loopback only. Netplane's own
 * properties rather than a named {@code quarkus.tls.*} configuration: a named one cannot be given
 * through environment variables (its name is a map key Quarkus cannot find in them).
 */
@ApplicationScoped
public class ServiceClientTls {

    @ConfigProperty(name = "netplane.client-tls.cert")
    Optional<String> cert;

    @ConfigProperty(name = "netplane.client-tls.key")
    Optional<String> key;

    @ConfigProperty(name = "netplane.client-tls.ca")
    Optional<String> ca;

    @Inject
    Vertx vertx;

    /**
     * The SSL context for calls to {@code target}, empty for plain HTTP.
     *
     * @param setting the property that gave {@code target}, named in the error when no certificate is configured
     */
    public Optional<SSLContext> forTarget(URI target, String setting) {
        if (!isHttps(target, setting)) {
            return Optional.empty();
        }
        if (cert.isEmpty() || key.isEmpty() || ca.isEmpty()) {
            throw new IllegalStateException(missing(target, setting));
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new PemKeyCertOptions().setCertPath(cert.get()).setKeyPath(key.get())
                    .getKeyManagerFactory(vertx).getKeyManagers(),
                    new PemTrustOptions().addCertPath(ca.get()).getTrustManagerFactory(vertx).getTrustManagers(), null);
            return Optional.of(context);
        } catch (Exception e) {
            throw new IllegalStateException("netplane.client-tls for " + setting + " cannot be used (" + cert.get()
                    + ", " + key.get() + ", " + ca.get() + "): " + e.getMessage(), e);
        }
    }

    /** Whether a call to {@code target} goes over TLS; refuses anything but http and https. */
    static boolean isHttps(URI target, String setting) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(setting + " must be an http:// or https:// address, not " + target);
        }
        return scheme.equals("https");
    }

    static String missing(URI target, String setting) {
        return setting + " is " + target + " but no client certificate is configured for it: set"
                + " netplane.client-tls.cert and netplane.client-tls.key (PEM, a certificate with OU=operator;"
                + " NETPLANE_CLIENT_TLS_CERT and _KEY) and netplane.client-tls.ca (the authority of the server's"
                + " certificate, NETPLANE_CLIENT_TLS_CA); see README, 'Security'";
    }
}
