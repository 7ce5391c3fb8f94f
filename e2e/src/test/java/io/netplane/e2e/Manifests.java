package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.agent.sandbox.SandboxFiles;
import io.netplane.events.kafka.KafkaIdentity;
import io.netplane.events.kafka.KafkaRole;
import io.netplane.localcluster.tls.LocalCa;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AclPermissionType;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * What the deployment manifests' tests share: docker-compose.yml and k8s/ parsed as YAML, each
 * module's own configuration, and the lookups both sets of checks make.
 */
final class Manifests {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final List<String> SERVICES = List.of("ipam-service", "dns-service", "nat-service",
            "overlay-service");
    static final List<String> MODULES_WITH_IMAGES = List.of("ipam-service", "dns-service", "nat-service",
            "overlay-service", "host-agent");
    static final List<String> DB_SERVICES = List.of("ipam-service", "nat-service", "overlay-service");
    /** compose publishes ports on this machine only: nothing else needs them. */
    static final String LOOPBACK = "127.0.0.1:";
    static final String READY = "/q/health/ready";
    static final String AGENT_STATE = SandboxFiles.OWNERS.getParent().toString();

    private Manifests() {
    }

    /** What ExposureGuard lets start off loopback: HTTPS only, with a server key and the clients' CA. */
    static void assertTlsOnly(String name, Map<String, String> env, int port, String host) {
        assertThat(env.get("QUARKUS_HTTP_HOST")).as("%s's HTTP host", name).isEqualTo(host);
        assertThat(env.get("QUARKUS_HTTP_INSECURE_REQUESTS")).as("%s: no plain HTTP", name).isEqualTo("disabled");
        assertThat(env.get("QUARKUS_HTTP_SSL_PORT")).as("%s's HTTPS port is its usual port", name)
                .isEqualTo(Integer.toString(port));
        assertThat(tlsFiles(env)).as("%s's server certificate, key and client CA", name).doesNotContainNull();
    }

    /** Server certificate, key and client CA; the pair's name "0" is a map key, so its env name is quoted (__0__). */
    static List<String> tlsFiles(Map<String, String> env) {
        return Arrays.asList(env.get("QUARKUS_TLS_KEY_STORE_PEM__0__CERT"), env.get("QUARKUS_TLS_KEY_STORE_PEM__0__KEY"),
                env.get("QUARKUS_TLS_TRUST_STORE_PEM_CERTS"));
    }

    /** The client certificate, key and CA a service or the agent presents to another's API (http-edge's ServiceClientTls). */
    static List<String> clientTlsFiles(Map<String, String> env) {
        return Arrays.asList(env.get("NETPLANE_CLIENT_TLS_CERT"), env.get("NETPLANE_CLIENT_TLS_KEY"),
                env.get("NETPLANE_CLIENT_TLS_CA"));
    }

    /**
     * That {@code cert}, {@code key} and {@code ca}, files {@code netplane certs} made, are an
     * operator's client certificate signed by that CA and its own key: what every TLS-only API
     * lets change the network.
     */
    static void assertOperatorClient(String name, Path cert, Path key, Path ca) {
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            X509Certificate client;
            X509Certificate authority;
            try (InputStream in = Files.newInputStream(cert); InputStream a = Files.newInputStream(ca)) {
                client = (X509Certificate) x509.generateCertificate(in);
                authority = (X509Certificate) x509.generateCertificate(a);
            }
            client.verify(authority.getPublicKey());
            assertThat(client.getSubjectX500Principal().getName()).as("%s's client certificate's role", name)
                    .contains("OU=" + LocalCa.OPERATOR);
            assertThat(client.getExtendedKeyUsage()).as("%s's certificate is a client's", name)
                    .contains("1.3.6.1.5.5.7.3.2");
            assertThat(Files.readString(key)).as("%s's client key", name).contains("PRIVATE KEY");
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError(name + ": " + cert + " is not an operator certificate of " + ca + ": " + e, e);
        }
    }

    /** The Secret a workload mounts read-only at {@code dir}, or null. */
    @SuppressWarnings("unchecked")
    static String secretMountedAt(Map<String, Object> workload, String dir) {
        Map<String, Object> podSpec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                workload.get("spec")).get("template")).get("spec");
        String volume = ((List<Map<String, Object>>) firstContainer(workload).get("volumeMounts")).stream()
                .filter(m -> dir.equals(m.get("mountPath")) && Boolean.TRUE.equals(m.get("readOnly")))
                .map(m -> (String) m.get("name")).findFirst().orElse(null);
        return ((List<Map<String, Object>>) podSpec.get("volumes")).stream()
                .filter(v -> v.get("name").equals(volume) && v.containsKey("secret"))
                .map(v -> (String) ((Map<String, Object>) v.get("secret")).get("secretName")).findFirst().orElse(null);
    }

    static Map<String, Object> workload(Map<String, Map<String, Object>> byKindAndName, String name) {
        Map<String, Object> w = byKindAndName.getOrDefault("Deployment/" + name, byKindAndName.get("DaemonSet/" + name));
        assertThat(w).as("the workload of %s", name).isNotNull();
        return w;
    }

    /** The secretKeyRef of an env variable of a container, or null. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> secretRef(Map<String, Object> container, String variable) {
        return ((List<Map<String, Object>>) container.get("env")).stream().filter(e -> variable.equals(e.get("name")))
                .map(e -> (Map<String, Object>) e.get("valueFrom")).filter(v -> v != null && v.containsKey("secretKeyRef"))
                .map(v -> (Map<String, Object>) v.get("secretKeyRef")).findFirst().orElse(null);
    }

    static KafkaRole roleOf(String service) {
        return KafkaRole.valueOf(service.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** An ACL as one comparable line: type, pattern, resource name, operation. */
    static String acl(Object type, String pattern, Object name, String operation) {
        return type.toString().toUpperCase(Locale.ROOT) + " " + pattern + " " + name + " "
                + operation.toUpperCase(Locale.ROOT);
    }

    static List<String> aclsOf(KafkaIdentity identity) {
        return identity.aclBindings().stream().map(b -> {
            assertThat(b.entry().principal()).isEqualTo(identity.principal());
            assertThat(b.entry().host()).isEqualTo("*");
            assertThat(b.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
            return acl(b.pattern().resourceType(), b.pattern().patternType().name(), b.pattern().name(),
                    b.entry().operation().name());
        }).toList();
    }

    /** {@code allow WHO OPERATION --topic T... | --group G --resource-pattern-type P} of compose's init. */
    static List<String> aclsOfCommand(List<String> args) {
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
    static Map<String, String> brokerProperties(Map<String, Object> kafka) {
        String script = String.join("\n", (List<String>) kafka.get("command"));
        String config = between(script, "cat > /tmp/server.properties <<EOF\n", "\nEOF");
        Map<String, String> properties = new HashMap<>();
        config.lines().forEach(l -> properties.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return properties;
    }

    static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertThat(from).as("%s in %s", start, text).isNotNegative();
        from += start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    /** {@code ${NAME:-default}} as compose sees it when NAME is unset; anything else as it is. */
    static String defaultOf(String value) {
        return value.replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> kubernetesResources() throws IOException {
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
    static Map<String, String> strings(Map<String, Object> yaml) {
        Map<String, String> out = new HashMap<>();
        yaml.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    /** The port a service listens on by default, read from its own application.properties. */
    static int httpPort(String module) throws IOException {
        return Integer.parseInt(properties(module).getProperty("quarkus.http.port"));
    }

    static Properties properties(String module) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(ROOT.resolve(module).resolve("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> firstContainer(Map<String, Object> workload) {
        assertThat(workload).isNotNull();
        Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                workload.get("spec")).get("template")).get("spec");
        return ((List<Map<String, Object>>) spec.get("containers")).get(0);
    }

    @SuppressWarnings("unchecked")
    static String probe(Map<String, Object> container, String kind) {
        Map<String, Object> get = (Map<String, Object>) ((Map<String, Object>) container.get(kind)).get("httpGet");
        return get.get("scheme") + " " + get.get("path") + ":" + get.get("port");
    }

    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(100);
        return new Yaml(options);
    }
}
