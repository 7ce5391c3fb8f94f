package io.netplane.ipam;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.edge.ServiceClientTls;
import io.netplane.ipam.support.Db;
import io.netplane.localcluster.quarkus.LocalCaResource;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.netplane.localcluster.tls.LocalCa;
import io.netplane.localcluster.up.Shell;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API over TLS as dockerd serves it with --tlsverify: a client certificate is required, and
 * its role decides what it may do; plain HTTP answers on loopback only.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = LocalCaResource.class, restrictToAnnotatedClass = true)
class TlsAccessTest {

    private static final String NETWORK = "{\"name\":\"tls-net\"}";

    @Inject
    ServiceClientTls clientTls;

    @BeforeEach
    void reset() {
        Db.reset();
    }

    @Test
    void aCallWithoutAClientCertificateIsRefusedAndChangesNothing() throws Exception {
        HttpClient anonymous = client(LocalCaResource.ca().clientContext(null));
        HttpResponse<String> create = anonymous.send(post("/v1/networks", NETWORK),
                HttpResponse.BodyHandlers.ofString());
        assertThat(create.statusCode()).isEqualTo(401);
        assertThat(create.body()).contains("a client certificate is required over TLS");
        assertThat(anonymous.send(get("/v1/networks"), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(401);
        given().get("/v1/networks/tls-net").then().statusCode(404);
        assertThat(anonymous.send(get("/q/health/ready"), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("an orchestrator's probe needs no certificate").isEqualTo(200);
        assertThat(anonymous.send(get("/q/health"), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("only the two probes are open").isEqualTo(401);
    }

    @Test
    void aReadOnlyCertificateMayLookButNotChange() throws Exception {
        HttpClient viewer = client(LocalCaResource.ca().clientContext(LocalCa.READ_ONLY));
        HttpResponse<String> list = viewer.send(get("/v1/networks"), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"bridge\"");

        HttpResponse<String> create = viewer.send(post("/v1/networks", NETWORK), HttpResponse.BodyHandlers.ofString());
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(create.body()).contains("role read-only may not POST").contains("OU=operator");
        given().get("/v1/networks/tls-net").then().statusCode(404);
    }

    @Test
    void anOperatorCertificateMayChange() throws Exception {
        HttpClient operator = client(LocalCaResource.ca().clientContext(LocalCa.OPERATOR));
        HttpResponse<String> create = operator.send(post("/v1/networks", NETWORK),
                HttpResponse.BodyHandlers.ofString());
        assertThat(create.statusCode()).as(create.body()).isEqualTo(201);
        given().get("/v1/networks/tls-net").then().statusCode(200);
    }

    @Test
    void aServiceCallingAnotherOverTlsPresentsTheNetplaneClientCertificate() throws Exception {
        URI self = uri("");
        HttpClient service = client(clientTls.forTarget(self, "netplane.ipam.nat-url").orElseThrow());
        HttpResponse<String> create = service.send(post("/v1/networks", NETWORK), HttpResponse.BodyHandlers.ofString());
        assertThat(create.statusCode()).as(create.body()).isEqualTo(201);
        given().get("/v1/networks/tls-net").then().statusCode(200);
        assertThat(clientTls.forTarget(URI.create("http://127.0.0.1:8083"), "netplane.ipam.nat-url"))
                .as("plain HTTP, to a loopback service, needs no certificate").isEmpty();
    }

    /** k8s's pod-network Job: cni-plugin's create-network script, with curl, as the Job runs it. */
    @Test
    void thePodNetworkJobCreatesItsNetworkOnceAndFindsItThereTheSecondTime() throws Exception {
        Path script = Path.of("..", "cni-plugin", "src", "main", "sh", "create-network").toAbsolutePath().normalize();
        Map<String, String> env = Map.of(
                "NETPLANE_API", "https://127.0.0.1:" + LocalCaResource.sslPort(),
                "NETPLANE_NETWORK", "{\"name\": \"pods\", \"driver\": \"overlay\", \"ipam\": [{\"subnet\": \"10.244.0.0/16\"}]}",
                "NETPLANE_CLIENT_TLS_CERT", LocalCaResource.ca().clientDir(LocalCa.OPERATOR).resolve("cert.pem").toString(),
                "NETPLANE_CLIENT_TLS_KEY", LocalCaResource.ca().clientDir(LocalCa.OPERATOR).resolve("key.pem").toString(),
                "NETPLANE_CLIENT_TLS_CA", LocalCaResource.ca().clientDir(LocalCa.OPERATOR).resolve("ca.pem").toString());
        Shell.Result first = Shell.run(List.of(script.toString()), env, 30);
        assertThat(first.exit()).as(first.output()).isZero();
        given().get("/v1/networks/pods").then().statusCode(200)
                .body("network.driver", org.hamcrest.Matchers.equalTo("overlay"))
                .body("network.ipam[0].subnet", org.hamcrest.Matchers.equalTo("10.244.0.0/16"));
        Shell.Result again = Shell.run(List.of(script.toString()), env, 30);
        assertThat(again.exit()).as("a network that exists is done: " + again.output()).isZero();
        assertThat(again.output()).contains("already exists");

        Map<String, String> viewer = new java.util.HashMap<>(env);
        viewer.put("NETPLANE_NETWORK", "{\"name\": \"not-made\"}");
        viewer.put("NETPLANE_CLIENT_TLS_CERT", LocalCaResource.ca().clientDir(LocalCa.READ_ONLY).resolve("cert.pem").toString());
        viewer.put("NETPLANE_CLIENT_TLS_KEY", LocalCaResource.ca().clientDir(LocalCa.READ_ONLY).resolve("key.pem").toString());
        Shell.Result refused = Shell.run(List.of(script.toString()), viewer, 30);
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("answered 403").contains("role read-only may not POST");
        given().get("/v1/networks/not-made").then().statusCode(404);
    }

    @Test
    void theDockerCliWorksUnchangedWithDockersTlsEnvironment() throws Exception {
        Run created = docker(LocalCa.OPERATOR, "network", "create", "-d", "bridge", "tls-cli");
        assertThat(created.exit).as(created.err).isZero();
        Run ls = docker(LocalCa.OPERATOR, "network", "ls", "--format", "{{.Name}}");
        assertThat(ls.out.lines()).contains("tls-cli", "bridge");

        Run refused = docker(LocalCa.READ_ONLY, "network", "create", "-d", "bridge", "not-made");
        assertThat(refused.exit).isNotZero();
        assertThat(refused.err).contains("role read-only may not POST");
        assertThat(docker(LocalCa.READ_ONLY, "network", "ls", "--format", "{{.Name}}").out.lines())
                .contains("tls-cli").doesNotContain("not-made");
    }

    private record Run(int exit, String out, String err) {
    }

    /** The docker CLI with exactly the three variables `netplane up` prints. */
    private static Run docker(String role, String... args) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("docker-tls");
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        pb.environment().remove("DOCKER_CONTEXT");
        pb.environment().put("DOCKER_CONFIG", dir.toString());
        pb.environment().put("DOCKER_HOST", "tcp://127.0.0.1:" + LocalCaResource.sslPort());
        pb.environment().put("DOCKER_TLS_VERIFY", "1");
        pb.environment().put("DOCKER_CERT_PATH", LocalCaResource.ca().clientDir(role).toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
    }

    private static HttpClient client(SSLContext ssl) {
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build();
    }

    private static HttpRequest post(String path, String json) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static URI uri(String path) {
        return URI.create("https://127.0.0.1:" + LocalCaResource.sslPort() + path);
    }
}
