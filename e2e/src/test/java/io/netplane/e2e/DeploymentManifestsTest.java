package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.agent.sandbox.SandboxFiles;
import io.netplane.events.Topic;
import io.netplane.events.kafka.KafkaIdentity;
import io.netplane.events.kafka.KafkaRole;
import io.netplane.events.kafka.Scram;
import io.netplane.localcluster.tls.LocalCa;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AclPermissionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and k8s/ parsed as YAML, and their wiring checked against each other and
 * against each service's own configuration: bootstrap servers, database URLs, ports and probes;
 * and their security against the code: HTTPS only with the files {@code netplane certs} makes
 * (what http-edge's ExposureGuard demands off loopback), a Kafka user per identity with exactly
 * the ACLs of its {@link KafkaRole}, each client logged in as itself, no password in the files.
 * Needs no test bed (it runs with the scenarios because it checks the same deployment).
 */
class DeploymentManifestsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final List<String> SERVICES = List.of("ipam-service", "dns-service", "nat-service",
            "overlay-service");
    private static final List<String> MODULES_WITH_IMAGES = List.of("ipam-service", "dns-service", "nat-service",
            "overlay-service", "host-agent");
    private static final List<String> DB_SERVICES = List.of("ipam-service", "nat-service", "overlay-service");
    /** compose publishes ports on this machine only: nothing else needs them. */
    private static final String LOOPBACK = "127.0.0.1:";
    private static final String READY = "/q/health/ready";
    private static final String AGENT_STATE = SandboxFiles.OWNERS.getParent().toString();

    @Test
    @SuppressWarnings("unchecked")
    void composeWiresEveryServiceToTheBrokerTheDatabaseAndItsOwnHealthPort() throws IOException {
        Map<String, Object> compose = yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Map<String, Object> kafka = services.get("kafka");
        String advertised = brokerProperties(kafka).get("advertised.listeners");
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
        assertThat(listeners).as("one listener, the one the services use").hasSize(1);
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
            assertThat(probe(container, "readinessProbe")).isEqualTo("HTTPS /q/health/ready:" + port);
            assertThat(probe(container, "livenessProbe")).isEqualTo("HTTPS /q/health/live:" + port);
            assertThat(container.get("envFrom").toString()).contains("netplane-config");
            if (DB_SERVICES.contains(name)) {
                assertThat(secretRef(container, "QUARKUS_DATASOURCE_USERNAME")).as("%s's own database role", name)
                        .isEqualTo(Map.of("name", "netplane-db-" + name, "key", "username"));
                assertThat(secretRef(container, "QUARKUS_DATASOURCE_PASSWORD"))
                        .isEqualTo(Map.of("name", "netplane-db-" + name, "key", "password"));
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
        assertThat(probe(agent, "readinessProbe")).isEqualTo("HTTPS /q/health/ready:" + httpPort("host-agent"));
        assertThat(probe(agent, "livenessProbe")).isEqualTo("HTTPS /q/health/live:" + httpPort("host-agent"));
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

    @Test
    @SuppressWarnings("unchecked")
    void composeServesEveryServiceAndTheAgentOverTlsWithTheCertificatesNetplaneCertsMakes(@TempDir Path certs)
            throws IOException {
        Map<String, Object> compose = yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        LocalCa.create(certs);
        for (String name : MODULES_WITH_IMAGES) {
            Map<String, Object> s = services.get(name);
            Map<String, String> env = strings((Map<String, Object>) s.get("environment"));
            int port = httpPort(name);
            boolean hostNetwork = "host".equals(s.get("network_mode"));
            assertTlsOnly(name, env, port, hostNetwork ? "127.0.0.1" : "0.0.0.0");
            Map<String, String> mounts = new HashMap<>();
            for (String volume : (List<String>) s.get("volumes")) {
                String[] parts = volume.split(":");
                if (parts.length == 3 && parts[2].equals("ro")) {
                    mounts.put(parts[1], parts[0]);
                }
            }
            for (String file : tlsFiles(env)) {
                Path inContainer = Path.of(file);
                assertThat(mounts).as("%s: %s comes from a read-only mount", name, file)
                        .containsEntry(inContainer.getParent().toString(), "./.netplane/deploy-tls");
                assertThat(certs.resolve(inContainer.getFileName())).as("netplane certs makes %s", file).isRegularFile();
            }
            String health = String.join(" ", (List<String>) ((Map<String, Object>) s.get("healthcheck")).get("test"));
            assertThat(health).as(name).contains("--cacert " + env.get("QUARKUS_TLS_TRUST_STORE_PEM_CERTS"))
                    .contains(" https://localhost:" + port + READY);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void kubernetesServesEveryServiceAndTheAgentOverTlsFromTheSecretNetplaneTls(@TempDir Path certs)
            throws IOException {
        Map<String, Map<String, Object>> byKindAndName = kubernetesResources();
        Map<String, String> config = (Map<String, String>) byKindAndName.get("ConfigMap/netplane-config").get("data");
        LocalCa.create(certs);
        for (String name : MODULES_WITH_IMAGES) {
            Map<String, Object> workload = workload(byKindAndName, name);
            Map<String, Object> container = firstContainer(workload);
            Map<String, String> env = new HashMap<>(config);
            for (Map<String, Object> e : (List<Map<String, Object>>) container.get("env")) {
                if (e.containsKey("value")) {
                    env.put((String) e.get("name"), String.valueOf(e.get("value")));
                }
            }
            int port = httpPort(name);
            assertTlsOnly(name, env, port, "0.0.0.0");
            for (String file : tlsFiles(env)) {
                assertThat(secretMountedAt(workload, Path.of(file).getParent().toString()))
                        .as("%s: %s comes from the Secret netplane-tls", name, file).isEqualTo("netplane-tls");
                assertThat(certs.resolve(Path.of(file).getFileName())).as("netplane certs makes %s", file).isRegularFile();
            }
        }
        for (var resource : byKindAndName.entrySet()) {
            if (resource.getKey().startsWith("Service/")) {
                Map<String, Object> spec = (Map<String, Object>) resource.getValue().get("spec");
                assertThat(spec.get("type")).as("%s: no NodePort or LoadBalancer", resource.getKey()).isEqualTo("ClusterIP");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void kubernetesGivesEveryIdentityItsKafkaUserWithExactlyTheAclsOfItsRole() throws IOException {
        Map<String, Map<String, Object>> byKindAndName = kubernetesResources();
        Map<String, Object> kafka = (Map<String, Object>) ((Map<String, Object>)
                byKindAndName.get("Kafka/netplane-kafka").get("spec")).get("kafka");
        Map<String, Object> listener = ((List<Map<String, Object>>) kafka.get("listeners")).get(0);
        assertThat(listener.get("authentication")).isEqualTo(Map.of("type", "scram-sha-512"));
        assertThat(kafka.get("authorization")).isEqualTo(Map.of("type", "simple"));
        assertThat(((Map<String, Object>) kafka.get("config")).get("allow.everyone.if.no.acl.found")).isEqualTo(false);
        assertThat((Map<String, Object>) ((Map<String, Object>) byKindAndName.get("Kafka/netplane-kafka").get("spec"))
                .get("entityOperator")).as("the user operator makes the KafkaUsers' Secrets").containsKey("userOperator");

        Map<String, String> config = (Map<String, String>) byKindAndName.get("ConfigMap/netplane-config").get("data");
        boolean tls = Boolean.TRUE.equals(listener.get("tls"));
        assertThat(config.get("KAFKA_SECURITY_PROTOCOL")).isEqualTo(tls ? "SASL_SSL" : "SASL_PLAINTEXT");
        assertThat(config.get("KAFKA_SASL_MECHANISM")).isEqualTo(Scram.MECHANISM);

        Map<String, KafkaIdentity> identities = new HashMap<>();
        for (String name : MODULES_WITH_IMAGES) {
            Map<String, Object> workload = workload(byKindAndName, name);
            Map<String, Object> container = firstContainer(workload);
            Map<String, Object> ref = secretRef(container, "KAFKA_SASL_JAAS_CONFIG");
            assertThat(ref).as("%s logs in to Kafka with its KafkaUser's credentials", name).isNotNull()
                    .containsEntry("key", "sasl.jaas.config");
            String user = (String) ref.get("name");
            KafkaIdentity identity = name.equals("host-agent")
                    ? KafkaIdentity.agent(user.substring(KafkaIdentity.AGENT_PREFIX.length()))
                    : KafkaIdentity.of(roleOf(name));
            assertThat(user).as("%s's KafkaUser", name).isEqualTo(identity.name());
            identities.put(user, identity);
            if (tls) {
                String truststore = config.get("KAFKA_SSL_TRUSTSTORE_LOCATION");
                assertThat(config.get("KAFKA_SSL_TRUSTSTORE_TYPE")).isEqualTo("PEM");
                assertThat(secretMountedAt(workload, Path.of(truststore).getParent().toString()))
                        .as("%s trusts the brokers' certificates of Strimzi's cluster CA", name)
                        .isEqualTo("netplane-kafka-cluster-ca-cert");
            }
        }
        KafkaIdentity.fixed().forEach(i -> identities.putIfAbsent(i.name(), i));

        List<String> users = byKindAndName.keySet().stream().filter(k -> k.startsWith("KafkaUser/"))
                .map(k -> k.substring("KafkaUser/".length())).toList();
        assertThat(users).as("one KafkaUser per identity, no other").containsExactlyInAnyOrderElementsOf(identities.keySet());
        for (String user : users) {
            Map<String, Object> resource = byKindAndName.get("KafkaUser/" + user);
            assertThat((Map<String, Object>) ((Map<String, Object>) resource.get("metadata")).get("labels"))
                    .containsEntry("strimzi.io/cluster", "netplane-kafka");
            Map<String, Object> spec = (Map<String, Object>) resource.get("spec");
            assertThat(spec.get("authentication")).isEqualTo(Map.of("type", "scram-sha-512"));
            Map<String, Object> authorization = (Map<String, Object>) spec.get("authorization");
            assertThat(authorization.get("type")).isEqualTo("simple");
            List<String> acls = new ArrayList<>();
            for (Map<String, Object> acl : (List<Map<String, Object>>) authorization.get("acls")) {
                Map<String, Object> r = (Map<String, Object>) acl.get("resource");
                String pattern = switch ((String) r.get("patternType")) {
                    case "literal" -> "LITERAL";
                    case "prefix" -> "PREFIXED";
                    default -> throw new AssertionError(user + ": patternType " + r.get("patternType"));
                };
                for (String operation : (List<String>) acl.get("operations")) {
                    acls.add(acl(r.get("type"), pattern, r.get("name"), operation));
                }
            }
            assertThat(acls).as("ACLs of KafkaUser %s", user)
                    .containsExactlyInAnyOrderElementsOf(aclsOf(identities.get(user)));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void kubernetesGivesEveryServiceWithStateItsOwnDatabaseRoleOwningItsSchema() throws IOException {
        Map<String, Map<String, Object>> byKindAndName = kubernetesResources();
        Map<String, Object> spec = (Map<String, Object>) byKindAndName.get("Cluster/netplane-db").get("spec");
        List<String> initSql = (List<String>) ((Map<String, Object>) ((Map<String, Object>) spec.get("bootstrap"))
                .get("initdb")).get("postInitApplicationSQL");
        List<Map<String, Object>> roles = (List<Map<String, Object>>) ((Map<String, Object>) spec.get("managed")).get("roles");
        for (String name : DB_SERVICES) {
            assertThat(roles).as("%s's role", name).contains(Map.of("name", name, "ensure", "present", "login", true,
                    "passwordSecret", Map.of("name", "netplane-db-" + name)));
            String schema = properties(name).getProperty("quarkus.flyway.schemas");
            assertThat(initSql).as("%s owns the schema it migrates", name)
                    .contains("CREATE SCHEMA " + schema + " AUTHORIZATION \"" + name + "\"");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeMakesEveryKafkaUserAndAclOfTheCatalogueAndEachClientLogsInAsItself() throws IOException {
        String text = Files.readString(ROOT.resolve("docker-compose.yml"));
        Map<String, Object> compose = yaml().load(text);
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");

        Map<String, String> broker = brokerProperties(services.get("kafka"));
        assertThat(broker.get("authorizer.class.name")).isEqualTo("org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        assertThat(broker.get("allow.everyone.if.no.acl.found")).isEqualTo("false");
        assertThat(broker.get("super.users")).isEqualTo("User:broker;User:admin");
        assertThat(broker.get("sasl.enabled.mechanisms")).isEqualTo(Scram.MECHANISM);
        Map<String, String> protocols = new HashMap<>();
        for (String entry : broker.get("listener.security.protocol.map").split(",")) {
            protocols.put(entry.split(":")[0], entry.split(":")[1]);
        }
        assertThat(protocols.values()).as("no listener without authentication").containsOnly("SASL_PLAINTEXT");
        Map<String, String> protocolOfAddress = new HashMap<>();
        for (String listener : broker.get("advertised.listeners").split(",")) {
            protocolOfAddress.put(listener.substring(listener.indexOf("//") + 2), protocols.get(listener.split(":")[0]));
        }

        Map<String, Object> init = services.get("kafka-topics");
        Map<String, String> initEnv = strings((Map<String, Object>) init.get("environment"));
        String hostId = defaultOf(initEnv.get("NETPLANE_HOST_ID"));
        String initScript = String.join("\n", (List<String>) init.get("command"));
        assertThat(initScript).as("the agent's user names its host").contains("agent=" + KafkaIdentity.AGENT_PREFIX + "$$NETPLANE_HOST_ID");
        assertThat(defaultOf(strings((Map<String, Object>) services.get("host-agent").get("environment"))
                .get("NETPLANE_AGENT_HOST_ID"))).as("the agent's host id").isEqualTo(hostId);
        String script = initScript
                .replace("agent=agent-$$NETPLANE_HOST_ID", "").replace("$$agent", KafkaIdentity.agent(hostId).name());
        List<KafkaIdentity> identities = new ArrayList<>(KafkaIdentity.fixed());
        identities.add(KafkaIdentity.agent(hostId));

        Map<String, String> passwordVariables = new HashMap<>();
        List<String> acls = new ArrayList<>();
        for (String line : script.lines().map(String::strip).toList()) {
            List<String> args = List.of(line.split("\\s+"));
            if (args.get(0).equals("user")) {
                assertThat(passwordVariables.put(args.get(1), args.get(2).replace("\"", "").replace("$$", "")))
                        .as("user %s made twice", args.get(1)).isNull();
            } else if (args.get(0).equals("allow")) {
                acls.addAll(aclsOfCommand(args));
            }
        }
        assertThat(passwordVariables.keySet()).as("the users compose makes")
                .containsExactlyInAnyOrderElementsOf(identities.stream().map(KafkaIdentity::name).toList());
        assertThat(acls).as("the ACLs compose makes")
                .containsExactlyInAnyOrderElementsOf(identities.stream().flatMap(i -> aclsOf(i).stream()).toList());
        for (String variable : passwordVariables.values()) {
            assertThat(initEnv.get(variable)).as("%s comes from the env file", variable).startsWith("${" + variable + ":?");
        }

        for (String name : MODULES_WITH_IMAGES) {
            Map<String, String> env = strings((Map<String, Object>) services.get(name).get("environment"));
            String jaas = env.get("KAFKA_SASL_JAAS_CONFIG");
            assertThat(jaas).as("%s's Kafka login", name).isNotNull();
            String user = defaultOf(between(jaas, "username=\"", "\""));
            KafkaIdentity identity = name.equals("host-agent") ? KafkaIdentity.agent(hostId) : KafkaIdentity.of(roleOf(name));
            assertThat(user).as("%s logs in as itself", name).isEqualTo(identity.name());
            assertThat(jaas).startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required ")
                    .contains("password=\"${" + passwordVariables.get(user) + ":?");
            assertThat(env.get("KAFKA_SASL_MECHANISM")).isEqualTo(Scram.MECHANISM);
            assertThat(env.get("KAFKA_SECURITY_PROTOCOL")).as("%s speaks its listener's protocol", name)
                    .isEqualTo(protocolOfAddress.get(env.get("KAFKA_BOOTSTRAP_SERVERS")));
        }
        assertThat(Pattern.compile("(?i)password\\w*\\s*[=:]\\s*\"?([^\"\\s]*)").matcher(text).results()
                .map(m -> m.group(1)).filter(v -> !v.isEmpty() && !v.startsWith("$") && !v.startsWith("?")))
                .as("passwords written into docker-compose.yml").isEmpty();
    }

    /** What ExposureGuard lets start off loopback: HTTPS only, with a server key and the clients' CA. */
    private static void assertTlsOnly(String name, Map<String, String> env, int port, String host) {
        assertThat(env.get("QUARKUS_HTTP_HOST")).as("%s's HTTP host", name).isEqualTo(host);
        assertThat(env.get("QUARKUS_HTTP_INSECURE_REQUESTS")).as("%s: no plain HTTP", name).isEqualTo("disabled");
        assertThat(env.get("QUARKUS_HTTP_SSL_PORT")).as("%s's HTTPS port is its usual port", name)
                .isEqualTo(Integer.toString(port));
        assertThat(tlsFiles(env)).as("%s's server certificate, key and client CA", name).doesNotContainNull();
    }

    /** Server certificate, key and client CA; the pair's name "0" is a map key, so its env name is quoted (__0__). */
    private static List<String> tlsFiles(Map<String, String> env) {
        return Arrays.asList(env.get("QUARKUS_TLS_KEY_STORE_PEM__0__CERT"), env.get("QUARKUS_TLS_KEY_STORE_PEM__0__KEY"),
                env.get("QUARKUS_TLS_TRUST_STORE_PEM_CERTS"));
    }

    /** The Secret a workload mounts read-only at {@code dir}, or null. */
    @SuppressWarnings("unchecked")
    private static String secretMountedAt(Map<String, Object> workload, String dir) {
        Map<String, Object> podSpec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                workload.get("spec")).get("template")).get("spec");
        String volume = ((List<Map<String, Object>>) firstContainer(workload).get("volumeMounts")).stream()
                .filter(m -> dir.equals(m.get("mountPath")) && Boolean.TRUE.equals(m.get("readOnly")))
                .map(m -> (String) m.get("name")).findFirst().orElse(null);
        return ((List<Map<String, Object>>) podSpec.get("volumes")).stream()
                .filter(v -> v.get("name").equals(volume) && v.containsKey("secret"))
                .map(v -> (String) ((Map<String, Object>) v.get("secret")).get("secretName")).findFirst().orElse(null);
    }

    private static Map<String, Object> workload(Map<String, Map<String, Object>> byKindAndName, String name) {
        Map<String, Object> w = byKindAndName.getOrDefault("Deployment/" + name, byKindAndName.get("DaemonSet/" + name));
        assertThat(w).as("the workload of %s", name).isNotNull();
        return w;
    }

    /** The secretKeyRef of an env variable of a container, or null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> secretRef(Map<String, Object> container, String variable) {
        return ((List<Map<String, Object>>) container.get("env")).stream().filter(e -> variable.equals(e.get("name")))
                .map(e -> (Map<String, Object>) e.get("valueFrom")).filter(v -> v != null && v.containsKey("secretKeyRef"))
                .map(v -> (Map<String, Object>) v.get("secretKeyRef")).findFirst().orElse(null);
    }

    private static KafkaRole roleOf(String service) {
        return KafkaRole.valueOf(service.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** An ACL as one comparable line: type, pattern, resource name, operation. */
    private static String acl(Object type, String pattern, Object name, String operation) {
        return type.toString().toUpperCase(Locale.ROOT) + " " + pattern + " " + name + " "
                + operation.toUpperCase(Locale.ROOT);
    }

    private static List<String> aclsOf(KafkaIdentity identity) {
        return identity.aclBindings().stream().map(b -> {
            assertThat(b.entry().principal()).isEqualTo(identity.principal());
            assertThat(b.entry().host()).isEqualTo("*");
            assertThat(b.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
            return acl(b.pattern().resourceType(), b.pattern().patternType().name(), b.pattern().name(),
                    b.entry().operation().name());
        }).toList();
    }

    /** {@code allow WHO OPERATION --topic T... | --group G --resource-pattern-type P} of compose's init. */
    private static List<String> aclsOfCommand(List<String> args) {
        String pattern = args.contains("--resource-pattern-type")
                ? args.get(args.indexOf("--resource-pattern-type") + 1).toUpperCase(Locale.ROOT) : "LITERAL";
        List<String> acls = new ArrayList<>();
        for (int i = 3; i < args.size() - 1; i++) {
            if (args.get(i).equals("--topic") || args.get(i).equals("--group")) {
                acls.add(acl(args.get(i).substring(2), pattern, args.get(i + 1), args.get(2)));
            }
        }
        return acls;
    }

    /** The server.properties the kafka service writes before it starts the broker. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> brokerProperties(Map<String, Object> kafka) {
        String script = String.join("\n", (List<String>) kafka.get("command"));
        String config = between(script, "cat > /tmp/server.properties <<EOF\n", "\nEOF");
        Map<String, String> properties = new HashMap<>();
        config.lines().forEach(l -> properties.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return properties;
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertThat(from).as("%s in %s", start, text).isNotNegative();
        from += start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    /** {@code ${NAME:-default}} as compose sees it when NAME is unset; anything else as it is. */
    private static String defaultOf(String value) {
        return value.replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1");
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
        return get.get("scheme") + " " + get.get("path") + ":" + get.get("port");
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(100);
        return new Yaml(options);
    }

}
