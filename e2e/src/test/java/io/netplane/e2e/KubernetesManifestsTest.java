package io.netplane.e2e;

import static io.netplane.e2e.Manifests.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netplane.events.Topic;
import io.netplane.events.kafka.KafkaIdentity;
import io.netplane.events.kafka.KafkaRole;
import io.netplane.events.kafka.Scram;
import io.netplane.localcluster.tls.LocalCa;
import io.netplane.localcluster.up.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s/ parsed as YAML, its wiring checked against each service's own configuration (deployments,
 * services, probes, config, topics) and its security against the code: TLS from the Secret
 * netplane-tls, a KafkaUser per identity with exactly the ACLs of its {@link KafkaRole}, a database
 * role per service owning its schema. Needs no test bed.
 */
class KubernetesManifestsTest {

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
    void kubernetesInstallsNetplaneCniOnEveryNodeAndTheAgentServesItsSocket(@TempDir Path node) throws IOException {
        Map<String, Map<String, Object>> byKindAndName = kubernetesResources();
        Map<String, Object> agentSet = byKindAndName.get("DaemonSet/host-agent");
        Map<String, Object> podSpec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                agentSet.get("spec")).get("template")).get("spec");
        Map<String, Object> install = ((List<Map<String, Object>>) podSpec.get("initContainers")).get(0);
        assertThat(install.get("image")).isEqualTo("netplane/netplane-cni:0.1.0");
        assertThat(Files.readString(ROOT.resolve("cni-plugin/src/main/docker/Dockerfile")))
                .as("the image holds the static plugin and the installer")
                .contains("COPY target/netplane-cni /opt/netplane/netplane-cni")
                .contains("COPY src/main/sh/install-cni src/main/sh/create-network /opt/netplane/");
        assertThat((List<String>) install.get("command")).containsExactly("/opt/netplane/install-cni");
        Map<String, String> installEnv = env(install);

        // where the installer writes is where the node's runtime looks, the directories of the node itself
        assertThat(hostPathMountedAt(podSpec, install, installEnv.get("CNI_BIN_DIR"))).isEqualTo("/opt/cni/bin");
        assertThat(hostPathMountedAt(podSpec, install, installEnv.get("CNI_NET_DIR"))).isEqualTo("/etc/cni/net.d");
        Path conflistInPod = Path.of(installEnv.get("CNI_CONFLIST"));
        Map<String, Object> configVolume = volumeOf(podSpec, install, conflistInPod.getParent().toString());
        assertThat(configVolume).as("the conflist comes from a ConfigMap").containsKey("configMap");
        String configMap = (String) ((Map<String, Object>) configVolume.get("configMap")).get("name");
        Map<String, String> cniConfig = (Map<String, String>) byKindAndName.get("ConfigMap/" + configMap).get("data");
        String conflist = cniConfig.get(conflistInPod.getFileName().toString());
        assertThat(conflist).as("the conflist the installer is given").isNotNull();

        // the conflist names the socket the agent serves, on a directory the node shares with it
        JsonNode plugin = new ObjectMapper().readTree(conflist).path("plugins").path(0);
        assertThat(plugin.path("type").asText()).isEqualTo("netplane-cni");
        Map<String, Object> agent = firstContainer(agentSet);
        Map<String, String> agentEnv = env(agent);
        String socket = agentEnv.get("NETPLANE_AGENT_DOCKER_PLUGIN_SOCKET");
        assertThat(plugin.path("agentSocket").asText()).isEqualTo(socket);
        assertThat(hostPathMountedAt(podSpec, agent, Path.of(socket).getParent().toString()))
                .as("netplane-cni, run by the node's runtime, finds the socket at the same path")
                .isEqualTo(Path.of(socket).getParent().toString());

        // the pod network the conflist names is the one the Job creates, through the API the agent asks
        Map<String, Object> job = byKindAndName.get("Job/pod-network");
        Map<String, Object> create = firstContainer(job);
        assertThat((List<String>) create.get("command")).containsExactly("/opt/netplane/create-network");
        Map<String, String> jobEnv = env(create);
        assertThat(new ObjectMapper().readTree(jobEnv.get("NETPLANE_NETWORK")).path("name").asText())
                .isEqualTo(plugin.path("network").asText());
        assertThat(jobEnv.get("NETPLANE_API")).isEqualTo(agentEnv.get("NETPLANE_AGENT_IPAM_URL"));

        // the installer itself, run as the init container runs it, onto a node's directories
        Path image = Files.createDirectories(node.resolve("image"));
        Files.copy(ROOT.resolve("cni-plugin/src/main/sh/install-cni"), image.resolve("install-cni"));
        Files.copy(ROOT.resolve("cni-plugin/target/netplane-cni"), image.resolve("netplane-cni"));
        image.resolve("install-cni").toFile().setExecutable(true);
        image.resolve("netplane-cni").toFile().setExecutable(true);
        Path given = Files.createDirectories(node.resolve("config")).resolve(conflistInPod.getFileName());
        Files.writeString(given, conflist);
        Path bin = node.resolve("opt/cni/bin");
        Path net = node.resolve("etc/cni/net.d");
        Map<String, String> run = Map.of("CNI_BIN_DIR", bin.toString(), "CNI_NET_DIR", net.toString(),
                "CNI_CONFLIST", given.toString());
        for (int time = 1; time <= 2; time++) {
            Shell.Result installed = Shell.run(List.of(image.resolve("install-cni").toString()), run, 30);
            assertThat(installed.exit()).as("install #%d: %s", time, installed.output()).isZero();
            try (Stream<Path> files = Files.list(bin)) {
                assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactly("netplane-cni");
            }
            try (Stream<Path> files = Files.list(net)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly(conflistInPod.getFileName().toString());
            }
        }
        assertThat(Files.readString(net.resolve(conflistInPod.getFileName()))).isEqualTo(conflist);
        Shell.Result version = Shell.run(List.of(bin.resolve("netplane-cni").toString()),
                Map.of("CNI_COMMAND", "VERSION"), 10);
        assertThat(version.exit()).isZero();
        assertThat(new ObjectMapper().readTree(version.output()).path("supportedVersions").toString())
                .as("the installed plugin speaks the conflist's version")
                .contains("\"" + new ObjectMapper().readTree(conflist).path("cniVersion").asText() + "\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void kubernetesServicesAndAgentsCallEachOtherWithTheOperatorCertificateOfNetplaneClientTls(@TempDir Path certs)
            throws IOException {
        Map<String, Map<String, Object>> byKindAndName = kubernetesResources();
        LocalCa ca = LocalCa.create(certs);
        Map<String, String> ipam = env(firstContainer(byKindAndName.get("Deployment/ipam-service")));
        Map<String, String> agent = env(firstContainer(byKindAndName.get("DaemonSet/host-agent")));
        assertThat(ipam.get("NETPLANE_NAT_URL")).isEqualTo("https://nat-service.netplane.svc:" + httpPort("nat-service"));
        assertThat(agent.get("NETPLANE_AGENT_IPAM_URL"))
                .isEqualTo("https://ipam-service.netplane.svc:" + httpPort("ipam-service"));
        for (String caller : List.of("Deployment/ipam-service", "DaemonSet/host-agent", "Job/pod-network")) {
            Map<String, Object> workload = byKindAndName.get(caller);
            List<Path> onDisk = new ArrayList<>();
            for (String file : clientTlsFiles(env(firstContainer(workload)))) {
                assertThat(secretMountedAt(workload, Path.of(file).getParent().toString()))
                        .as("%s: %s comes from the Secret netplane-client-tls", caller, file)
                        .isEqualTo("netplane-client-tls");
                // README: the Secret is made from the operator folder netplane certs writes
                onDisk.add(ca.clientDir(LocalCa.OPERATOR).resolve(Path.of(file).getFileName()));
            }
            assertOperatorClient(caller, onDisk.get(0), onDisk.get(1), onDisk.get(2));
        }
    }

    /** A container's literal environment. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new HashMap<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) container.get("env")) {
            if (e.containsKey("value")) {
                env.put((String) e.get("name"), String.valueOf(e.get("value")));
            }
        }
        return env;
    }

    /** The volume a container mounts at {@code dir}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> volumeOf(Map<String, Object> podSpec, Map<String, Object> container, String dir) {
        String name = ((List<Map<String, Object>>) container.get("volumeMounts")).stream()
                .filter(m -> dir.equals(m.get("mountPath"))).map(m -> (String) m.get("name")).findFirst()
                .orElseThrow(() -> new AssertionError(container.get("name") + " mounts nothing at " + dir));
        return ((List<Map<String, Object>>) podSpec.get("volumes")).stream().filter(v -> name.equals(v.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** The node's directory a container mounts at {@code dir}, or null when that is no hostPath. */
    @SuppressWarnings("unchecked")
    private static String hostPathMountedAt(Map<String, Object> podSpec, Map<String, Object> container, String dir) {
        Map<String, Object> hostPath = (Map<String, Object>) volumeOf(podSpec, container, dir).get("hostPath");
        return hostPath == null ? null : (String) hostPath.get("path");
    }
}
