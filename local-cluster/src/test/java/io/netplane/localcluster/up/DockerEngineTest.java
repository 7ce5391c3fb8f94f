package io.netplane.localcluster.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real dockerd, each in its own network namespace as a simulated Docker host would have them:
 * they must not see each other, run the locally made busybox image, survive a restart and leave
 * nothing behind. Needs docker.io and busybox-static (.ci/run installs them): without them this
 * test fails, it does not skip.
 */
class DockerEngineTest {

    private static final List<String> NAMESPACES = List.of("dkrt-h1", "dkrt-h2");

    @BeforeEach
    void namespaces() {
        assertThat(DockerEngine.missing()).as("simulated Docker hosts need docker.io and busybox-static installed "
                + "(apt-get install docker.io busybox-static; .ci/run does it)").isEmpty();
        for (String ns : NAMESPACES) {
            Shell.run("ip", "netns", "del", ns);
            Shell.must("ip", "netns", "add", ns);
            Shell.must("ip", "-n", ns, "link", "set", "lo", "up");
        }
    }

    @AfterEach
    void removeNamespaces() {
        for (String ns : NAMESPACES) {
            DockerEngine.removeLeftovers(ns, null);
            Shell.run("ip", "netns", "del", ns);
        }
    }

    @Test
    void twoDaemonsInTwoNamespacesAreTwoHostsThatRunBusyboxRestartAndLeaveNothingBehind(@TempDir Path dir)
            throws Exception {
        DockerEngine.Config c1 = new DockerEngine.Config("dkrt-h1", "h1", dir.resolve("h1/data"),
                dir.resolve("h1.log"), "192.0.2.11");
        DockerEngine.Config c2 = new DockerEngine.Config("dkrt-h2", "h2", dir.resolve("h2/data"),
                dir.resolve("h2.log"), "192.0.2.12");
        long pid1;
        long pid2;
        try (DockerEngine e1 = DockerEngine.start(c1); DockerEngine e2 = DockerEngine.start(c2)) {
            assertThat(e1.dockerHost()).isEqualTo("unix:///run/netplane/docker/dkrt-h1/docker.sock");
            String info1 = e1.docker("info", "--format", "{{.ID}} {{.Name}} {{.DockerRootDir}}").output().trim();
            String info2 = e2.docker("info", "--format", "{{.ID}} {{.Name}} {{.DockerRootDir}}").output().trim();
            assertThat(info1.split(" ")).hasSize(3);
            assertThat(info1.split(" ")[1]).isEqualTo("h1");
            assertThat(info2.split(" ")[1]).isEqualTo("h2");
            assertThat(info1.split(" ")[0]).isNotEqualTo(info2.split(" ")[0]);
            assertThat(info1.split(" ")[2]).isEqualTo(c1.dataRoot().toString());

            // Each daemon its own containerd: a container on h1 is not on h2.
            // sleep as PID 1 ignores SIGTERM: --stop-timeout 1 keeps the daemon's stop from waiting Docker's 10 s for it
            Shell.Result run = e1.docker("run", "-d", "--stop-timeout", "1", "--name", "only-on-h1", "busybox", "sleep",
                    "600");
            assertThat(run.ok()).as(run.output()).isTrue();
            assertThat(e1.docker("ps", "--format", "{{.Names}}").output()).contains("only-on-h1");
            assertThat(e2.docker("ps", "-a", "--format", "{{.Names}}").output()).doesNotContain("only-on-h1");
            assertThat(e2.docker("container", "inspect", "only-on-h1").ok()).isFalse();

            // The local busybox on Docker's default bridge, with the daemon's DNS from daemon.json.
            Shell.Result hi = e2.docker("run", "--rm", "busybox", "sh", "-c",
                    "echo hi; cat /etc/resolv.conf; ip -4 addr show eth0");
            assertThat(hi.ok()).as(hi.output()).isTrue();
            assertThat(hi.output()).startsWith("hi\n").contains("nameserver 192.0.2.12").contains("inet 198.18.0.");
            assertThat(e1.docker("run", "--rm", "busybox:latest", "hostname").ok()).isTrue();
            // The plugin is found by name through the spec file dockerd reads as /etc/docker/plugins/netplane.spec.
            assertThat(Files.readString(DockerPaths.pluginSpec("dkrt-h1")))
                    .isEqualTo("unix:///run/netplane/docker/dkrt-h1/plugin.sock\n");

            // Restart: the same daemon (engine ID, image) answers again under a new pid.
            long before = e1.pid();
            e1.restart();
            assertThat(e1.pid()).isPositive().isNotEqualTo(before);
            assertThat(ProcessHandle.of(before)).isEmpty();
            assertThat(e1.docker("info", "--format", "{{.ID}}").output().trim()).isEqualTo(info1.split(" ")[0]);
            assertThat(e1.docker("run", "--rm", "busybox", "echo", "again").output()).isEqualTo("again\n");
            pid1 = e1.pid();
            pid2 = e2.pid();
        }
        for (String ns : NAMESPACES) {
            assertThat(ProcessHandle.allProcesses().filter(p -> DockerEngine.commandLine(p.pid())
                    .contains(DockerPaths.runDir(ns).toString()))).as("processes of " + ns).isEmpty();
            assertThat(DockerPaths.runDir(ns)).doesNotExist();
            assertThat(DockerPaths.etcDir(ns)).doesNotExist();
            assertThat(Path.of("/etc/netns", ns)).doesNotExist();
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(ns + "/")
                    .doesNotContain(dir.toString());
            for (String hierarchy : List.of("memory", "pids", "devices", "unified")) {
                assertThat(Path.of("/sys/fs/cgroup", hierarchy, "netplane-docker", ns)).doesNotExist();
            }
        }
        assertThat(ProcessHandle.of(pid1)).isEmpty();
        assertThat(ProcessHandle.of(pid2)).isEmpty();
        assertThat(c1.dataRoot()).doesNotExist();
        assertThat(c2.dataRoot()).doesNotExist();
    }

    @Test
    void whatAKilledDaemonLeftIsFoundAndRemoved(@TempDir Path dir) throws Exception {
        DockerEngine.Config c = new DockerEngine.Config("dkrt-h1", "h1", dir.resolve("data"), dir.resolve("h1.log"),
                "192.0.2.11");
        DockerEngine engine = DockerEngine.start(c);
        Shell.Result run = engine.docker("run", "-d", "busybox", "sleep", "600");
        assertThat(run.ok()).as(run.output()).isTrue();
        long daemon = engine.pid();
        // As a SIGKILLed netplane up leaves it: dockerd gone, its containerd, shim and container still running.
        ProcessHandle dockerd = ProcessHandle.of(daemon).orElseThrow();
        dockerd.destroyForcibly();
        dockerd.onExit().get();
        assertThat(ProcessHandle.allProcesses().filter(p -> DockerEngine.commandLine(p.pid())
                .contains(DockerPaths.execRoot("dkrt-h1").toString()))).isNotEmpty();
        List<Long> containerPids = new java.util.ArrayList<>();
        for (Path cgroup : DockerEngine.cgroupDirs("dkrt-h1")) {
            try (var files = Files.walk(cgroup)) {
                for (Path procs : files.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
                    Files.readAllLines(procs).forEach(pid -> containerPids.add(Long.parseLong(pid.trim())));
                }
            }
        }
        assertThat(containerPids).as("the container's sleep, in the host's cgroup").isNotEmpty();

        DockerEngine.removeLeftovers("dkrt-h1", c.dataRoot());

        assertThat(ProcessHandle.allProcesses().filter(p -> DockerEngine.commandLine(p.pid())
                .contains(DockerPaths.runDir("dkrt-h1").toString()))).isEmpty();
        for (long pid : containerPids) {
            assertThat(ProcessHandle.of(pid)).as("container process " + pid).isEmpty();
        }
        assertThat(DockerEngine.cgroupDirs("dkrt-h1")).isNotEmpty().allSatisfy(d -> assertThat(d).doesNotExist());
        assertThat(DockerPaths.runDir("dkrt-h1")).doesNotExist();
        assertThat(DockerPaths.etcDir("dkrt-h1")).doesNotExist();
        assertThat(c.dataRoot()).doesNotExist();
    }

    @Test
    void refusesNamesThatAreNoSimulatedHostsBeforeTheyReachAPathOrACommand(@TempDir Path dir) {
        assertThatThrownBy(() -> new DockerEngine.Config("../etc", "h1", dir, dir.resolve("l"), "192.0.2.11"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../etc");
        assertThatThrownBy(() -> new DockerEngine.Config("np-h1", "h1;reboot", dir, dir.resolve("l"), "192.0.2.11"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DockerEngine.Config("np-h1", "h1", dir, dir.resolve("l"), "192.0.2.11\"]}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DockerPaths.dockerHost("np-h1 -H tcp://0.0.0.0"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mountsTheCgroupHierarchiesThisMachineHas() throws Exception {
        List<String> steps = DockerEngine.cgroupMountSteps();
        String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
        if (mountinfo.contains(" - cgroup ")) {
            assertThat(steps).contains("cgroup");
            assertThat(String.join(" ", steps)).contains("memory /sys/fs/cgroup/memory");
        }
        if (mountinfo.contains(" - cgroup2 ")) {
            assertThat(steps).contains("cgroup2");
        }
        assertThat(steps).isNotEmpty();
    }
}
