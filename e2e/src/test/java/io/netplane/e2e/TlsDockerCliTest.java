package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.localcluster.up.Shell;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The docker CLI over TLS with exactly the environment `netplane up` prints, and refused without a certificate. */
class TlsDockerCliTest extends Scenario {

    @Test
    void theDockerCliWorksWithThePrintedEnvironmentAndNotWithoutACertificate() {
        Map<String, String> env = bed.deployment.dockerTlsEnvironment();
        assertThat(env.keySet()).containsExactly("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH");
        Shell.Result create = docker(env, "network", "create", "-d", "bridge", "tls-net");
        assertThat(create.ok()).as(create.output()).isTrue();
        try {
            assertThat(docker(env, "network", "ls", "--format", "{{.Name}}").output().lines()).contains("tls-net");

            // The same Docker API call without a client certificate (the CLI itself insists on one once
            // DOCKER_TLS_VERIFY is set, so curl asks, trusting the same authority).
            String api = env.get("DOCKER_HOST").replace("tcp://", "https://");
            Shell.Result refused = Shell.run(List.of("curl", "-s", "--max-time", "10",
                    "--cacert", env.get("DOCKER_CERT_PATH") + "/ca.pem", "-X", "POST",
                    "-H", "Content-Type: application/json", "-d", "{\"Name\":\"not-made\",\"Driver\":\"bridge\"}",
                    api + "/networks/create"), 30);
            assertThat(refused.output()).contains("a client certificate is required over TLS");
            assertThat(bed.api.get("/v1/networks/not-made").status()).isEqualTo(404);
        } finally {
            docker(env, "network", "rm", "tls-net");
        }
    }

    /** The docker CLI with only the given DOCKER_* variables and an empty configuration folder. */
    private static Shell.Result docker(Map<String, String> dockerEnv, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "-u", "DOCKER_HOST", "-u", "DOCKER_CONTEXT",
                "-u", "DOCKER_TLS_VERIFY", "-u", "DOCKER_CERT_PATH", "DOCKER_CONFIG=/nonexistent/netplane-e2e"));
        dockerEnv.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.add("docker");
        cmd.addAll(List.of(args));
        return Shell.run(cmd, 60);
    }
}
