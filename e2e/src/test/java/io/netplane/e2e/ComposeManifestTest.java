package io.netplane.e2e;

import static io.netplane.e2e.Manifests.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.events.Topic;
import io.netplane.events.kafka.KafkaIdentity;
import io.netplane.events.kafka.KafkaRole;
import io.netplane.events.kafka.Scram;
import io.netplane.localcluster.tls.LocalCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml parsed as YAML, its wiring checked against each service's own configuration
 * (bootstrap servers, database URLs, ports, probes, topics made first) and its security against
 * the code: HTTPS only with the files {@code netplane certs} makes (what http-edge's ExposureGuard
 * demands off loopback), a Kafka user per identity with exactly the ACLs of its
 * {@link KafkaRole}, each client logged in as itself; and that compose and k8s run the images each
 * module builds. Needs no test bed.
 */
class ComposeManifestTest {

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
    void composeCallsBetweenServicesOverTlsWithTheOperatorCertificateNetplaneCertsMakes(@TempDir Path certs)
            throws IOException {
        Map<String, Object> compose = yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        LocalCa.create(certs);
        Map<String, String> ipam = strings((Map<String, Object>) services.get("ipam-service").get("environment"));
        Map<String, String> agent = strings((Map<String, Object>) services.get("host-agent").get("environment"));
        assertThat(ipam.get("NETPLANE_NAT_URL")).as("ipam books ports with nat-service on the compose network")
                .isEqualTo("https://nat-service:" + httpPort("nat-service"));
        assertThat((List<String>) services.get("ipam-service").get("ports"))
                .as("the agent, on the host network, reaches ipam-service where compose publishes it")
                .contains("127.0.0.1:" + httpPort("ipam-service") + ":" + httpPort("ipam-service"));
        assertThat(agent.get("NETPLANE_AGENT_IPAM_URL")).isEqualTo("https://127.0.0.1:" + httpPort("ipam-service"));
        assertThat(agent.get("NETPLANE_AGENT_DOCKER_PLUGIN_SOCKET")).as("on the host's /run/netplane")
                .startsWith("/run/netplane/");
        for (var caller : Map.of("ipam-service", ipam, "host-agent", agent).entrySet()) {
            List<Path> onDisk = new ArrayList<>();
            for (String file : clientTlsFiles(caller.getValue())) {
                assertThat(file).as("%s's client TLS file", caller.getKey()).startsWith("/etc/netplane/tls/");
                assertThat((List<String>) services.get(caller.getKey()).get("volumes"))
                        .contains("./.netplane/deploy-tls:/etc/netplane/tls:ro");
                onDisk.add(certs.resolve(Path.of("/etc/netplane/tls").relativize(Path.of(file))));
            }
            assertOperatorClient(caller.getKey(), onDisk.get(0), onDisk.get(1), onDisk.get(2));
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
}
