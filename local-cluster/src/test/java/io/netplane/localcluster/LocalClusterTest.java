package io.netplane.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.events.Topic;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalClusterTest {

    @Test
    void startsRealServersWithTheTopicCatalogueAndSurvivesABrokerRestart(@TempDir Path dir) throws Exception {
        String bootstrap;
        int pgPort;
        try (LocalCluster cluster = LocalCluster.start(dir)) {
            bootstrap = cluster.kafkaBootstrap();
            pgPort = URI.create(cluster.jdbcUrl().substring("jdbc:".length())).getPort();
            assertThat(ClusterSmoke.check(cluster)).contains("db=netplane");

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                Set<String> topics = admin.listTopics().names().get();
                for (Topic t : Topic.values()) {
                    assertThat(topics).contains(t.topicName());
                }
                ConfigResource networks = new ConfigResource(ConfigResource.Type.TOPIC, "networks");
                Config config = admin.describeConfigs(List.of(networks)).all().get().get(networks);
                assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            }

            cluster.stopKafka();
            assertThat(Ports.listening(portOf(bootstrap))).isFalse();
            cluster.startKafka();
            assertThat(cluster.kafkaBootstrap()).isEqualTo(bootstrap);
            ClusterSmoke.roundTrip(bootstrap, "dead-letter", "after-restart");
        }
        // closed: nothing listens any more
        assertThat(Ports.listening(portOf(bootstrap))).isFalse();
        assertThat(Ports.listening(pgPort)).isFalse();
    }

    @Test
    void usesRunningServersWhenTheEnvironmentNamesThem(@TempDir Path dir, @TempDir Path other) throws Exception {
        try (LocalCluster real = LocalCluster.start(dir)) {
            Map<String, String> env = new HashMap<>();
            env.put(LocalCluster.ENV_KAFKA, real.kafkaBootstrap());
            env.put(LocalCluster.ENV_JDBC_URL, real.jdbcUrl());
            env.put(LocalCluster.ENV_JDBC_USER, real.jdbcUser());
            try (LocalCluster reused = LocalCluster.start(other, env)) {
                assertThat(reused.kafkaBootstrap()).isEqualTo(real.kafkaBootstrap());
                assertThat(reused.jdbcUrl()).isEqualTo(real.jdbcUrl());
                assertThatThrownBy(reused::stopKafka).hasMessageContaining(LocalCluster.ENV_KAFKA);
                try (Connection c = DriverManager.getConnection(reused.jdbcUrl(), reused.jdbcUser(), "")) {
                    assertThat(c.isValid(5)).isTrue();
                }
            }
            // the reusing cluster did not stop what it did not start
            ClusterSmoke.roundTrip(real.kafkaBootstrap(), "dead-letter", "still-up");
        }
    }

    @Test
    void twoJvmsStartingAtOnceDoNotCollide() throws Exception {
        List<Process> jvms = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            jvms.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ClusterSmoke.class.getName())
                    .redirectErrorStream(true)
                    .start());
        }
        List<String> lines = new ArrayList<>();
        for (Process p : jvms) {
            String ok = null;
            StringBuilder all = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    all.append(line).append('\n');
                    if (line.startsWith("OK ")) {
                        ok = line;
                    }
                }
            }
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(all.toString()).isZero();
            assertThat(ok).as(all.toString()).isNotNull();
            lines.add(ok);
        }
        Map<String, String> first = fields(lines.get(0));
        Map<String, String> second = fields(lines.get(1));
        assertThat(first.get("kafka")).isNotEqualTo(second.get("kafka"));
        assertThat(first.get("jdbc")).isNotEqualTo(second.get("jdbc"));
        assertThat(first.get("dir")).isNotEqualTo(second.get("dir"));
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> m = new HashMap<>();
        for (String part : line.substring(3).split(" ")) {
            int eq = part.indexOf('=');
            m.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return m;
    }

    private static int portOf(String bootstrap) {
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    static Properties props(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return p;
    }
}
