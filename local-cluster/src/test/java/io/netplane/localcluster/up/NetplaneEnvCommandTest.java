package io.netplane.localcluster.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `./netplane env HOST` prints what `netplane up` wrote for that host, and says why when it cannot. */
class NetplaneEnvCommandTest {

    @Test
    void printsTheExportLineOfARunningUpAndSaysWhyWhenItCannot(@TempDir Path root) throws Exception {
        Path script = root.resolve("netplane");
        Files.copy(Path.of("").toAbsolutePath().getParent().resolve("netplane"), script,
                StandardCopyOption.COPY_ATTRIBUTES);

        Shell.Result notUp = env(script, "h1");
        assertThat(notUp.exit()).isEqualTo(1);
        assertThat(notUp.output()).contains("netplane is not up");

        // What Up writes: its pid, and one file per Docker host.
        Files.createDirectories(root.resolve(".netplane/pids"));
        Files.writeString(root.resolve(".netplane/pids/up.pid"), Long.toString(ProcessHandle.current().pid()));
        Shell.Result noDocker = env(script, "h1");
        assertThat(noDocker.exit()).isEqualTo(1);
        assertThat(noDocker.output()).contains("no Docker hosts").contains("docker.io");

        new Up.State(root.resolve(".netplane")).writeEnvironments(java.util.Map.of());
        Files.writeString(root.resolve(".netplane/env/h1"), "export DOCKER_HOST=" + DockerPaths.dockerHost("np-h1")
                + "\n");
        Shell.Result h1 = env(script, "h1");
        assertThat(h1.exit()).isZero();
        assertThat(h1.output()).isEqualTo("export DOCKER_HOST=unix:///run/netplane/docker/np-h1/docker.sock\n");

        Shell.Result h3 = env(script, "h3");
        assertThat(h3.exit()).isEqualTo(1);
        assertThat(h3.output()).contains("no Docker host h3").contains("h1");

        Shell.Result bad = env(script, "h1;id");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.output()).startsWith("usage: netplane env HOST");
    }

    private static Shell.Result env(Path script, String host) {
        return Shell.run(List.of("bash", script.toString(), "env", host), 30);
    }
}
