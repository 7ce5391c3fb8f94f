package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and k8s/ parsed as YAML, and their wiring checked against each other and
 * against each service's own configuration: bootstrap servers, database URLs, ports and probes.
 * Needs no test bed (it runs with the scenarios because it checks the same deployment).
 */
class DeploymentManifestsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final List<String> SERVICES = List.of("ipam-service", "dns-service", "nat-service",
            "overlay-service");
    private static final List<String> MODULES_WITH_IMAGES = List.of("ipam-service", "dns-service", "nat-service",
            "overlay-service", "host-agent");
    private static final List<String> DB_SERVICES = List.of("ipam-service", "nat-service", "overlay-service");

    @Test
    @SuppressWarnings("unchecked")
    void composeWiresEveryServiceToTheBrokerTheDatabaseAndItsOwnHealthPort() throws IOException {
        Map<String, Object> compose = yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Map<String, Object> kafka = services.get("kafka");
        Map<String, Object> kafkaEnv = (Map<String, Object>) kafka.get("environment");
        String advertised = (String) kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS");
        Map<String, Object> pgEnv = (Map<String, Object>) services.get("postgres").get("environment");

        for (String name : SERVICES) {
            Map<String, Object> s = services.get(name);
            assertThat(s).as(name).isNotNull();
            Map<String, Object> env = (Map<String, Object>) s.get("environment");
            String bootstrap = (String) env.get("KAFKA_BOOTSTRAP_SERVERS");
            assertThat(advertised).as("%s's broker address is advertised", name).contains("//" + bootstrap);
            if (DB_SERVICES.contains(name)) {
                assertThat((String) env.get("QUARKUS_DATASOURCE_JDBC_URL"))
                        .isEqualTo("jdbc:postgresql://postgres:5432/" + pgEnv.get("POSTGRES_DB"));
                assertThat(env.get("QUARKUS_DATASOURCE_USERNAME")).isEqualTo(pgEnv.get("POSTGRES_USER"));
                assertThat(env.get("QUARKUS_DATASOURCE_PASSWORD")).isEqualTo(pgEnv.get("POSTGRES_PASSWORD"));
            }
            int port = httpPort(name);
            assertThat((List<String>) s.get("ports")).as(name).contains(port + ":" + port);
            String health = String.join(" ", (List<String>) ((Map<String, Object>) s.get("healthcheck")).get("test"));
            assertThat(health).as(name).contains("localhost:" + port + "/q/health/ready");
            assertThat(((Map<String, Object>) s.get("depends_on")).keySet()).contains("kafka", "postgres");
        }

        Map<String, Object> agent = services.get("host-agent");
        assertThat(agent.get("network_mode")).isEqualTo("host");
        assertThat((List<String>) agent.get("cap_add")).contains("NET_ADMIN");
        Map<String, Object> agentEnv = (Map<String, Object>) agent.get("environment");
        assertThat(advertised).contains("//" + agentEnv.get("KAFKA_BOOTSTRAP_SERVERS"));
        String hostPort = ((String) agentEnv.get("KAFKA_BOOTSTRAP_SERVERS")).split(":")[1];
        assertThat((List<String>) kafka.get("ports")).contains(hostPort + ":" + hostPort);
        assertThat((List<String>) services.get("dns-service").get("ports")).contains("5353:5353/udp", "5353:5353/tcp");
        assertThat((String) agentEnv.get("NETPLANE_AGENT_DNS_SERVICE")).endsWith(":5353");
    }

    @Test
    @SuppressWarnings("unchecked")
    void kubernetesDeploymentsServicesProbesAndConfigLineUp() throws IOException {
        Map<String, Map<String, Object>> byKindAndName = new HashMap<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : yaml().loadAll(Files.readString(f))) {
                    Map<String, Object> m = (Map<String, Object>) doc;
                    Map<String, Object> meta = (Map<String, Object>) m.get("metadata");
                    byKindAndName.put(m.get("kind") + "/" + meta.get("name"), m);
                    assertThat(meta.get("name")).as(f.toString()).isNotNull();
                }
            }
        }
        Map<String, String> config = (Map<String, String>) byKindAndName.get("ConfigMap/netplane-config").get("data");
        Map<String, Object> kafka = byKindAndName.get("Kafka/netplane-kafka");
        assertThat(kafka).as("Strimzi Kafka resource").isNotNull();
        List<Map<String, Object>> listeners = (List<Map<String, Object>>) ((Map<String, Object>)
                ((Map<String, Object>) kafka.get("spec")).get("kafka")).get("listeners");
        int kafkaPort = (Integer) listeners.get(0).get("port");
        assertThat(config.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("netplane-kafka-kafka-bootstrap:" + kafkaPort);
        Map<String, Object> db = byKindAndName.get("Cluster/netplane-db");
        String database = (String) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                db.get("spec")).get("bootstrap")).get("initdb")).get("database");
        assertThat(config.get("QUARKUS_DATASOURCE_JDBC_URL"))
                .isEqualTo("jdbc:postgresql://netplane-db-rw:5432/" + database);

        for (String name : SERVICES) {
            Map<String, Object> container = firstContainer(byKindAndName.get("Deployment/" + name));
            int port = httpPort(name);
            assertThat(((List<Map<String, Object>>) container.get("ports")).get(0).get("containerPort")).isEqualTo(port);
            assertThat(probe(container, "readinessProbe")).isEqualTo("/q/health/ready:" + port);
            assertThat(probe(container, "livenessProbe")).isEqualTo("/q/health/live:" + port);
            assertThat(container.get("envFrom").toString()).contains("netplane-config");
            if (DB_SERVICES.contains(name)) {
                assertThat(container.get("env").toString()).contains("QUARKUS_DATASOURCE_USERNAME")
                        .contains("netplane-db-app");
            }
            Map<String, Object> service = byKindAndName.get("Service/" + name);
            Map<String, Object> spec = (Map<String, Object>) service.get("spec");
            assertThat(((List<Map<String, Object>>) spec.get("ports")).get(0).get("targetPort")).isEqualTo(port);
            Map<String, Object> deploymentLabels = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                    ((Map<String, Object>) byKindAndName.get("Deployment/" + name).get("spec")).get("template"))
                    .get("metadata")).get("labels");
            assertThat(deploymentLabels).containsAllEntriesOf((Map<String, Object>) spec.get("selector"));
        }

        Map<String, Object> agentSet = byKindAndName.get("DaemonSet/host-agent");
        Map<String, Object> podSpec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                agentSet.get("spec")).get("template")).get("spec");
        assertThat(podSpec.get("hostNetwork")).isEqualTo(true);
        Map<String, Object> agent = firstContainer(agentSet);
        assertThat(((Map<String, Object>) agent.get("securityContext")).get("privileged")).isEqualTo(true);
        assertThat(probe(agent, "readinessProbe")).isEqualTo("/q/health/ready:" + httpPort("host-agent"));
        assertThat(config.get("NETPLANE_AGENT_DNS_SERVICE")).startsWith("dns-service.").endsWith(":5353");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeAndKubernetesRunTheImagesEachModuleBuilds() throws IOException {
        Map<String, Object> compose = yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        String k8s;
        try (Stream<Path> files = Files.list(ROOT.resolve("k8s"))) {
            StringBuilder all = new StringBuilder();
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                all.append(Files.readString(f)).append('\n');
            }
            k8s = all.toString();
        }
        for (String module : MODULES_WITH_IMAGES) {
            Properties p = properties(module);
            String image = p.getProperty("quarkus.container-image.group") + "/"
                    + p.getProperty("quarkus.container-image.name") + ":" + p.getProperty("quarkus.container-image.tag");
            Map<String, Object> service = services.get(module);
            assertThat(service.get("image")).as("compose image of %s", module).isEqualTo(image);
            Map<String, Object> build = (Map<String, Object>) service.get("build");
            assertThat(ROOT.resolve((String) build.get("context")).resolve((String) build.get("dockerfile")).normalize())
                    .as("the Dockerfile Quarkus builds %s from", module)
                    .isEqualTo(ROOT.resolve(module).resolve("src/main/docker/Dockerfile.jvm"))
                    .isRegularFile();
            assertThat(k8s).as("k8s image of %s", module).contains("image: " + image);
        }
    }

    /** The port a service listens on by default, read from its own application.properties. */
    private static int httpPort(String module) throws IOException {
        return Integer.parseInt(properties(module).getProperty("quarkus.http.port"));
    }

    private static Properties properties(String module) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(ROOT.resolve(module).resolve("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstContainer(Map<String, Object> workload) {
        assertThat(workload).isNotNull();
        Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                workload.get("spec")).get("template")).get("spec");
        return ((List<Map<String, Object>>) spec.get("containers")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static String probe(Map<String, Object> container, String kind) {
        Map<String, Object> get = (Map<String, Object>) ((Map<String, Object>) container.get(kind)).get("httpGet");
        return get.get("path") + ":" + get.get("port");
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(100);
        return new Yaml(options);
    }

}
