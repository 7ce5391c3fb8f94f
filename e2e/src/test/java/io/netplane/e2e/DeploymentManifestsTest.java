package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.agent.sandbox.SandboxFiles;
import io.netplane.events.Topic;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
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
    /** Nothing authenticates its callers: compose publishes ports on this machine only. */
    private static final String LOOPBACK = "127.0.0.1:";
    private static final String AGENT_STATE = SandboxFiles.OWNERS.getParent().toString();

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
            assertThat((List<String>) s.get("ports")).as(name).contains(LOOPBACK + port + ":" + port);
            String health = String.join(" ", (List<String>) ((Map<String, Object>) s.get("healthcheck")).get("test"));
            assertThat(health).as(name).contains("localhost:" + port + "/q/health/ready");
            assertThat(((Map<String, Object>) s.get("depends_on")).keySet()).contains("kafka", "postgres");
        }

        Map<String, Object> agent = services.get("host-agent");
        assertThat(agent.get("network_mode")).isEqualTo("host");
        assertThat(agent.get("pid")).isEqualTo("host");
        assertThat(agent.get("privileged")).as("the agent writes /proc/sys").isEqualTo(true);
        assertThat((List<String>) agent.get("volumes")).as("where the agent notes the sandboxes it owns")
                .contains(AGENT_STATE + ":" + AGENT_STATE);
        Map<String, Object> agentEnv = (Map<String, Object>) agent.get("environment");
        assertThat(advertised).contains("//" + agentEnv.get("KAFKA_BOOTSTRAP_SERVERS"));
        String hostPort = ((String) agentEnv.get("KAFKA_BOOTSTRAP_SERVERS")).split(":")[1];
        assertThat((List<String>) kafka.get("ports")).contains(LOOPBACK + hostPort + ":" + hostPort);
        assertThat((List<String>) services.get("dns-service").get("ports"))
                .contains(LOOPBACK + "5353:5353/udp", LOOPBACK + "5353:5353/tcp");
        assertThat((String) agentEnv.get("NETPLANE_AGENT_DNS_SERVICE")).endsWith(":5353");
    }

    @Test
    @SuppressWarnings("unchecked")
    void kubernetesDeploymentsServicesProbesAndConfigLineUp() throws IOException {
        Map<String, Map<String, Object>> byKindAndName = kubernetesResources();
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
        String stateVolume = ((List<Map<String, Object>>) agent.get("volumeMounts")).stream()
                .filter(m -> AGENT_STATE.equals(m.get("mountPath"))).map(m -> (String) m.get("name"))
                .findFirst().orElseThrow(() -> new AssertionError("the agent does not mount " + AGENT_STATE));
        assertThat(((List<Map<String, Object>>) podSpec.get("volumes")).stream()
                .filter(v -> stateVolume.equals(v.get("name"))).map(v -> v.get("hostPath")))
                .as("%s comes from the node, so it outlives the pod", AGENT_STATE)
                .containsExactly(Map.of("path", AGENT_STATE, "type", "DirectoryOrCreate"));
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

    @Test
    @SuppressWarnings("unchecked")
    void kubernetesMakesEveryTopicWithItsCompactionPartitionsAndCopiesTheBrokersCanHold() throws IOException {
        Map<String, Map<String, Object>> byKindAndName = kubernetesResources();
        Map<String, Object> pool = (Map<String, Object>) byKindAndName.get("KafkaNodePool/dual-role").get("spec");
        assertThat((List<String>) pool.get("roles")).contains("broker");
        int brokers = (Integer) pool.get("replicas");
        Map<String, Object> brokerConfig = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                byKindAndName.get("Kafka/netplane-kafka").get("spec")).get("kafka")).get("config");
        assertThat(brokerConfig.get("auto.create.topics.enable")).isEqualTo(false);

        for (Topic topic : Topic.values()) {
            Map<String, Object> resource = byKindAndName.get("KafkaTopic/" + topic.topicName());
            assertThat(resource).as("KafkaTopic %s", topic.topicName()).isNotNull();
            Map<String, Object> meta = (Map<String, Object>) resource.get("metadata");
            assertThat((Map<String, Object>) meta.get("labels")).containsEntry("strimzi.io/cluster", "netplane-kafka");
            Map<String, Object> spec = (Map<String, Object>) resource.get("spec");
            assertThat(spec.get("partitions")).as(topic.topicName()).isEqualTo(topic.partitions());
            int replicas = (Integer) spec.get("replicas");
            Map<String, String> config = strings((Map<String, Object>) spec.get("config"));
            assertThat(config).as(topic.topicName()).containsAllEntriesOf(topic.config());
            int minInSync = Integer.parseInt(config.get("min.insync.replicas"));
            assertThat(replicas).as("%s: one copy per broker", topic.topicName()).isEqualTo(brokers);
            assertThat(minInSync).as("%s: a write survives one broker down", topic.topicName())
                    .isEqualTo(replicas - 1).isGreaterThan(1);
        }
        assertThat(byKindAndName.keySet().stream().filter(k -> k.startsWith("KafkaTopic/")))
                .as("no topic outside the catalogue").hasSize(Topic.values().length);
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeMakesEveryTopicBeforeAnythingThatReadsOrWritesThem() throws IOException {
        Map<String, Object> compose = yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Map<String, Object> init = services.get("kafka-topics");
        assertThat(init.get("image")).isEqualTo(services.get("kafka").get("image"));
        String script = String.join("\n", (List<String>) init.get("command"));
        assertThat(script).as("one broker: one copy, and a write needs only it")
                .contains("--replication-factor 1").contains("--config min.insync.replicas=1");

        Map<String, List<String>> created = script.lines().map(String::strip).filter(l -> l.startsWith("create --topic "))
                .map(l -> List.of(l.split("\\s+"))).collect(Collectors.toMap(args -> args.get(2), args -> args));
        assertThat(created.keySet()).as("topics compose creates")
                .containsExactlyInAnyOrderElementsOf(Stream.of(Topic.values()).map(Topic::topicName).toList());
        for (Topic topic : Topic.values()) {
            List<String> args = created.get(topic.topicName());
            assertThat(args.get(args.indexOf("--partitions") + 1)).as(topic.topicName())
                    .isEqualTo(Integer.toString(topic.partitions()));
            Map<String, String> config = new HashMap<>();
            for (int i = 0; i < args.size() - 1; i++) {
                if (args.get(i).equals("--config")) {
                    String[] kv = args.get(i + 1).split("=", 2);
                    config.put(kv[0], kv[1]);
                }
            }
            assertThat(config).as(topic.topicName()).isEqualTo(topic.config());
        }

        for (String name : MODULES_WITH_IMAGES) {
            Map<String, Object> dependsOn = (Map<String, Object>) services.get(name).get("depends_on");
            assertThat(dependsOn.get("kafka-topics")).as("%s starts once the topics exist", name)
                    .isEqualTo(Map.of("condition", "service_completed_successfully"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void composePublishesNoPortOnEveryInterfaceAndNotTheDatabase() throws IOException {
        Map<String, Object> compose = yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        for (var service : services.entrySet()) {
            List<Object> ports = (List<Object>) service.getValue().getOrDefault("ports", List.of());
            for (Object port : ports) {
                assertThat(port).as("a port of %s", service.getKey()).isInstanceOf(String.class);
                assertThat((String) port).as("a port of %s", service.getKey()).startsWith(LOOPBACK);
            }
        }
        assertThat(services.get("postgres")).doesNotContainKey("ports");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> kubernetesResources() throws IOException {
        Map<String, Map<String, Object>> byKindAndName = new HashMap<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : yaml().loadAll(Files.readString(f))) {
                    Map<String, Object> m = (Map<String, Object>) doc;
                    Map<String, Object> meta = (Map<String, Object>) m.get("metadata");
                    assertThat(meta.get("name")).as(f.toString()).isNotNull();
                    assertThat(byKindAndName.put(m.get("kind") + "/" + meta.get("name"), m))
                            .as("%s %s declared twice", m.get("kind"), meta.get("name")).isNull();
                }
            }
        }
        return byKindAndName;
    }

    /** YAML numbers and booleans as the strings Kafka's configuration holds. */
    private static Map<String, String> strings(Map<String, Object> yaml) {
        Map<String, String> out = new HashMap<>();
        yaml.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
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
