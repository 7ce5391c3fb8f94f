package io.netplane.localcluster.up;

import io.netplane.events.validate.Hostname;
import io.netplane.events.validate.InvalidValueException;
import io.netplane.localcluster.tls.LocalCa;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./netplane certs DIR [NAME]...}: a certificate authority, a server certificate that
 * also names each NAME, and operator and read-only client folders, for deployments whose
 * services serve TLS (docker-compose.yml mounts DIR; README, "Security", says how k8s takes it).
 */
public final class Certs {

    private Certs() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: netplane certs DIR [DNS-NAME]...");
            System.exit(2);
        }
        List<String> names = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            try {
                names.add(Hostname.check(args[i]));
            } catch (InvalidValueException e) {
                System.err.println("netplane certs: " + e.getMessage());
                System.exit(2);
            }
        }
        Path dir = Path.of(args[0]).toAbsolutePath().normalize();
        LocalCa ca = LocalCa.create(dir, names);
        System.out.println("netplane certs: CA, server and client certificates in " + dir);
        System.out.println("  server      server-cert.pem, server-key.pem (localhost, 127.0.0.1" 
                + (names.isEmpty() ? "" : ", " + String.join(", ", names)) + ")");
        System.out.println("  operator    " + ca.clientDir(LocalCa.OPERATOR) + "   (DOCKER_CERT_PATH for changes)");
        System.out.println("  read-only   " + ca.clientDir(LocalCa.READ_ONLY));
    }
}
