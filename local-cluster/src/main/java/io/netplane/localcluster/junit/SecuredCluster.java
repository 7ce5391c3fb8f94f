package io.netplane.localcluster.junit;

import io.netplane.localcluster.Directories;
import io.netplane.localcluster.KafkaSecurity;
import io.netplane.localcluster.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A broker with SASL/SCRAM and ACLs (and a database) of a test class's own, in a temporary
 * folder removed afterwards: {@code @RegisterExtension static final SecuredCluster SECURED = new SecuredCluster();}.
 */
public final class SecuredCluster implements BeforeAllCallback, AfterAllCallback {

    private Path dir;
    private LocalCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            dir = Files.createTempDirectory("netplane-secured-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cluster = LocalCluster.start(dir, Map.of(), KafkaSecurity.SCRAM_ACLS);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
        Directories.deleteRecursively(dir);
    }

    public LocalCluster cluster() {
        return cluster;
    }

    /** The cluster's working folder (its data and secrets). */
    public Path dir() {
        return dir;
    }
}
