package io.netplane.edge;

import java.util.Locale;
import java.util.Optional;

/**
 * The one rule every netplane HTTP port follows, as dockerd does with {@code --tlsverify}: plain
 * HTTP only on a loopback address; anywhere else only TLS, with a trust store for the client
 * certificates that {@link ClientCertificateFilter} then requires of every request.
 */
public final class Exposure {

    private Exposure() {
    }

    /**
     * Why this HTTP configuration must not start, or empty when it may.
     *
     * @param host             {@code quarkus.http.host}
     * @param insecureRequests {@code quarkus.http.insecure-requests}: enabled, redirect or disabled
     * @param serverKey        whether a TLS key store is configured ({@code quarkus.tls.key-store.*})
     * @param clientTrust      whether a trust store for client certificates is ({@code quarkus.tls.trust-store.*})
     */
    public static Optional<String> refusal(String host, String insecureRequests, boolean serverKey,
            boolean clientTrust) {
        if (isLoopback(host)) {
            return Optional.empty();
        }
        boolean plain = !"disabled".equals(lower(insecureRequests));
        if (plain || !serverKey || !clientTrust) {
            return Optional.of("refusing to serve HTTP on " + host + " without TLS client certificates: either keep"
                    + " quarkus.http.host on loopback (127.0.0.1), or set quarkus.http.insecure-requests=disabled,"
                    + " a TLS key store (quarkus.tls.key-store.*) and a trust store of the client certificates'"
                    + " authority (quarkus.tls.trust-store.*); see README, 'Security'");
        }
        return Optional.empty();
    }

    static boolean isLoopback(String host) {
        String h = lower(host);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.equals("::1") || h.matches("127(\\.\\d{1,3}){3}");
    }

    private static String lower(String s) {
        return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    }
}
