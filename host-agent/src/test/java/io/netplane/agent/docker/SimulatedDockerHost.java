package io.netplane.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.agent.host.HostConfig;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.support.Namespaces;
import io.netplane.agent.support.Shell;
import io.netplane.events.NetworkCreated;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One simulated Docker host for tests: a namespace, a real dockerd 20.10 in it (the reference's §5
 * recipe: own data and exec root, cgroups mounted again, the plugin found through
 * /etc/netns/NS/docker/plugins/netplane.spec), a local busybox image, and netplane's plugin serving
 * it with the engine sync. {@link #close()} stops dockerd by its pid and removes what it made.
 */
final class SimulatedDockerHost implements AutoCloseable {

    private static final String CGROUPS = "mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup"
            + " && for c in cpu cpuacct cpuset memory devices freezer blkio pids; do mkdir -p /sys/fs/cgroup/$c"
            + " && mount -t cgroup -o $c cgroup /sys/fs/cgroup/$c; done"
            + " && mkdir -p /sys/fs/cgroup/systemd && mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd"
            + " && exec \"$@\"";

    final String hostId;
    final String ns;
    final Path root;
    private final Process dockerd;
    private final NamespaceManager manager;
    private final URI ipamUrl;
    private final Supplier<Collection<NetworkCreated>> desired;
    DockerPlugin plugin;

    SimulatedDockerHost(String hostId, NamespaceManager manager, Namespaces namespaces, URI ipamUrl,
            Supplier<Collection<NetworkCreated>> desired) throws Exception {
        this.hostId = hostId;
        this.ns = namespaces.create(hostId);
        Shell.must("ip", "-n", ns, "link", "set", "lo", "up");
        this.root = Files.createTempDirectory(Path.of("/tmp"), "npd");
        Path plugins = Path.of("/etc/netns", ns, "docker", "plugins");
        Files.createDirectories(plugins);
        Files.writeString(plugins.resolve("netplane.spec"), "unix://" + root.resolve("plugin.sock") + "\n");
        this.manager = manager;
        this.ipamUrl = ipamUrl;
        this.desired = desired;
        startPlugin();
        this.dockerd = new ProcessBuilder("ip", "netns", "exec", ns, "sh", "-c", CGROUPS, "sh", "dockerd",
                "--data-root", root + "/data", "--exec-root", root + "/exec", "--pidfile", root + "/docker.pid",
                "-H", "unix://" + root + "/docker.sock", "--bridge", "none", "--storage-driver", "vfs")
                .redirectErrorStream(true).redirectOutput(root.resolve("dockerd.log").toFile()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> docker("version").ok() || !dockerd.isAlive());
        assertThat(dockerd.isAlive()).as("dockerd runs (see its log in %s)", root).isTrue();
        Path image = root.resolve("image/bin");
        Files.createDirectories(image);
        Files.copy(Path.of("/bin/busybox"), image.resolve("busybox"));
        for (String applet : List.of("sh", "ip", "sleep", "cat")) {
            Files.createSymbolicLink(image.resolve(applet), Path.of("busybox"));
        }
        Shell.must("sh", "-c", "tar -C " + root.resolve("image") + " -c . | docker -H unix://" + root
                + "/docker.sock import - busybox:local");
    }

    /** The agent's plugin (again, after {@link #stopPlugin()}: as a restarted agent, from its state file). */
    void startPlugin() {
        plugin = new DockerPlugin(new DockerSettings(root.resolve("plugin.sock"), null,
                "unix://" + root.resolve("docker.sock"), ipamUrl),
                new HostConfig(hostId, NamespaceManager.pathOf(ns), "10.0.0.1", null), manager, () -> { }, desired);
    }

    void stopPlugin() {
        plugin.close();
        plugin = null;
    }

    Path stateFile() {
        return Path.of(root.resolve("plugin.sock") + ".state.json");
    }

    Shell.Result docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker", "-H", "unix://" + root + "/docker.sock"));
        command.addAll(List.of(args));
        return Shell.run(command.toArray(String[]::new));
    }

    String must(String... args) {
        Shell.Result r = docker(args);
        assertThat(r.exit()).as("docker %s on %s: %s", String.join(" ", args), hostId, r.err()).isZero();
        return r.out().trim();
    }

    @Override
    public void close() throws Exception {
        String running = docker("ps", "-aq").out().trim();
        if (!running.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("rm", "-f"));
            rm.addAll(List.of(running.split("\\s+")));
            docker(rm.toArray(String[]::new));
        }
        Shell.run("sh", "-c", "kill $(cat " + root + "/docker.pid)");
        if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
            Shell.run("sh", "-c", "kill -9 $(cat " + root + "/docker.pid)");
            dockerd.waitFor(10, TimeUnit.SECONDS);
        }
        if (plugin != null) {
            plugin.close();
        }
        Shell.run("rm", "-rf", root.toString());
    }
}
