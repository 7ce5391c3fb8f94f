package io.netplane.ipam;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.ipam.support.Db;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real docker CLI pointed at netplane's Docker Engine API endpoints. */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class DockerCliTest {

    private static final int TIMEOUT_SECONDS = 60;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void reset() {
        Db.reset();
    }

    /** The CLI writes into files, not pipes, so a full pipe cannot block it and the timeout holds. */
    static Run docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", "tcp://127.0.0.1:" + RestAssured.port));
        cmd.addAll(List.of(args));
        Path dir = Files.createTempDirectory("docker-cli");
        Path config = Files.createDirectory(dir.resolve("config"));
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("DOCKER_HOST");
        pb.environment().remove("DOCKER_CONTEXT");
        pb.environment().put("DOCKER_CONFIG", config.toString());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .as("docker %s finished within %d s", String.join(" ", args), TIMEOUT_SECONDS).isTrue();
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static Run ok(String... args) throws Exception {
        Run r = docker(args);
        assertThat(r.exit()).as("docker %s: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    static Run fails(String... args) throws Exception {
        Run r = docker(args);
        assertThat(r.exit()).as("docker %s should fail", String.join(" ", args)).isNotZero();
        return r;
    }

    @Test
    void lsShowsThePredefinedNetworksLikeDocker() throws Exception {
        String out = ok("network", "ls").out();
        assertThat(out.lines().findFirst().orElseThrow()).matches("NETWORK ID\\s+NAME\\s+DRIVER\\s+SCOPE");
        assertThat(out).containsPattern("[0-9a-f]{12}\\s+bridge\\s+bridge\\s+local")
                .containsPattern("[0-9a-f]{12}\\s+host\\s+host\\s+local")
                .containsPattern("[0-9a-f]{12}\\s+none\\s+null\\s+local");
        assertThat(ok("network", "ls", "--filter", "driver=null", "--format", "{{.Name}}").out().trim())
                .isEqualTo("none");
        assertThat(ok("version", "--format", "{{.Server.APIVersion}}").out().trim()).isEqualTo("1.47");
    }

    @Test
    void createInspectConnectDisconnectRemoveAndPrune() throws Exception {
        String id = ok("network", "create", "-d", "bridge", "--subnet", "172.30.0.0/16", "--gateway",
                "172.30.0.254", "--ip-range", "172.30.5.0/24", "--aux-address", "a=172.30.1.1", "-o",
                "com.docker.network.driver.mtu=1400", "--label", "team=x", "my-bridge").out().trim();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(fails("network", "create", "my-bridge").err())
                .contains("Error response from daemon: network with name my-bridge already exists");
        assertThat(fails("network", "create", "--subnet", "172.30.1.0/24", "clash").err())
                .contains("Pool overlaps with other one on this address space");

        JsonPath inspect = new JsonPath(ok("network", "inspect", "my-bridge").out());
        assertThat(inspect.getString("[0].Id")).isEqualTo(id);
        assertThat(inspect.getString("[0].IPAM.Config[0].Subnet")).isEqualTo("172.30.0.0/16");
        assertThat(inspect.getString("[0].IPAM.Config[0].Gateway")).isEqualTo("172.30.0.254");
        assertThat(inspect.getString("[0].IPAM.Config[0].IPRange")).isEqualTo("172.30.5.0/24");
        assertThat(inspect.getString("[0].Labels.team")).isEqualTo("x");
        assertThat(inspect.getString("[0].Options.'com.docker.network.driver.mtu'")).isEqualTo("1400");

        String containerId = given().contentType(ContentType.JSON).body(Map.of("name", "test1", "hostId", "h1"))
                .post("/v1/containers").then().statusCode(201).extract().path("id");
        ok("network", "connect", "--ip", "172.30.9.9", "--alias", "db", "my-bridge", "test1");
        String shown = ok("network", "inspect", "-f",
                "{{range $id, $c := .Containers}}{{$id}} {{$c.Name}} {{$c.IPv4Address}} {{$c.MacAddress}}{{end}}",
                id.substring(0, 12)).out().trim();
        assertThat(shown).isEqualTo(containerId + " test1 172.30.9.9/16 02:42:ac:1e:09:09");
        given().get("/v1/containers/test1").then().statusCode(200);
        JsonPath endpoint = given().get("/v1/containers/test1").then().extract().jsonPath();
        assertThat(endpoint.getList("endpoints.interfaceName")).containsExactly("eth0", "eth1");
        assertThat(endpoint.getList("endpoints[1].aliases")).containsExactly("db");

        assertThat(fails("network", "rm", "my-bridge").err()).contains("has active endpoints");
        ok("network", "disconnect", "my-bridge", "test1");
        assertThat(ok("network", "rm", "my-bridge").out().trim()).isEqualTo("my-bridge");
        assertThat(fails("network", "inspect", "my-bridge").err()).contains("network my-bridge not found");

        ok("network", "create", "leftover");
        assertThat(ok("network", "prune", "-f").out()).contains("Deleted Networks:").contains("leftover");
        assertThat(fails("network", "rm", "bridge").err())
                .contains("bridge is a pre-defined network and cannot be removed");
    }

    @Test
    void connectingAnUnknownContainerSaysSo() throws Exception {
        ok("network", "create", "lonely");
        assertThat(fails("network", "connect", "lonely", "ghost").err()).contains("No such container: ghost");
    }
}
