package io.netplane.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The passwords of a secured local broker, each derived from one random secret kept (readable
 * by its owner only) in the cluster's directory. A restart in the same directory finds the same
 * credentials, and a host agent's password exists before the agent is registered.
 */
final class KafkaPasswords {

    /** The broker's own user, on the controller and inter-broker connections. */
    static final String BROKER = "broker";
    /** The super user that creates topics, users and ACLs. */
    static final String ADMIN = "admin";

    private final SecretKeySpec secret;

    private KafkaPasswords(byte[] secret) {
        this.secret = new SecretKeySpec(secret, "HmacSHA256");
    }

    static KafkaPasswords in(Path dir) {
        Path file = dir.resolve("kafka-secret");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dir);
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path tmp = Files.createTempFile(dir, "kafka-secret", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(tmp, fresh);
                Files.move(tmp, file);
            }
            return new KafkaPasswords(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base64url, so it needs no quoting in server.properties, JAAS or kafka-storage's --add-scram. */
    String of(String user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(user.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
