package io.netplane.localcluster.quarkus;

import io.netplane.localcluster.Ports;
import io.netplane.localcluster.tls.LocalCa;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves a {@code @QuarkusTest}'s application over TLS with client certificates required, from a
 * fresh {@link LocalCa}; plain HTTP stays on loopback. Its calls to other services' https APIs
 * present the operator certificate. {@link #ca()} and {@link #sslPort()} tell
 * the test where and with what to connect.
 */
public class LocalCaResource implements QuarkusTestResourceLifecycleManager {

    private static volatile LocalCa ca;
    private static volatile int sslPort;

    @Override
    public Map<String, String> start() {
        try {
            ca = LocalCa.create(Files.createTempDirectory("netplane-ca"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sslPort = Ports.free();
        Map<String, String> config = new HashMap<>(ca.quarkusServerConfig(sslPort));
        config.put("quarkus.http.test-ssl-port", Integer.toString(sslPort));
        config.putAll(ca.quarkusClientConfig(LocalCa.OPERATOR));
        return config;
    }

    @Override
    public void stop() {
        // the certificates live in a temporary folder; nothing runs
    }

    public static LocalCa ca() {
        return ca;
    }

    public static int sslPort() {
        return sslPort;
    }
}
