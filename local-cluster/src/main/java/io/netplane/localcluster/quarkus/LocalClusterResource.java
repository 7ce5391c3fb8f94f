package io.netplane.localcluster.quarkus;

import io.netplane.localcluster.LocalCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} the real Kafka broker and PostgreSQL of this JVM's shared
 * {@link LocalCluster}: {@code @QuarkusTestResource(LocalClusterResource.class)}.
 */
public class LocalClusterResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return LocalCluster.shared().quarkusConfig();
    }

    @Override
    public void stop() {
        // the shared cluster lives as long as the test JVM, so later test classes reuse it
    }
}
