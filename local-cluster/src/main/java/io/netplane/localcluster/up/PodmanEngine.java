package io.netplane.localcluster.up;

import io.netplane.localcluster.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * podman on a simulated host, with netplane as its CNI network: podman runs in the host's network
 * namespace (so the CNI plugin, and the veth it asks the agent for, start there) with its own
 * storage, run and configuration directories, the CNI backend, and a conflist per netplane network
 * that names netplane-cni and the host agent's socket. It shares the machine's mount namespace, so
 * the container namespaces podman binds under /run/netns are the ones the agent opens.
 * {@link #close()} removes every container and the directory.
 */
public final class PodmanEngine implements AutoCloseable {

    /** The CNI plugin's file name: the conflist's {@code type}. */
    public static final String CNI_PLUGIN = "netplane-cni";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
    private static final int TIMEOUT_SECONDS = 120;
    /** podman's run roots: it refuses one longer than 50 characters, so not under a temporary directory. */
    private static final Path RUN = Path.of("/run/netplane/podman");

    /**
     * {@code netns}: the simulated host; {@code dir}: podman's own (made, and removed on close);
     * {@code agentSocket}: the host agent's socket; {@code cniBin}: the directory holding netplane-cni.
     */
    public record Config(String netns, Path dir, Path agentSocket, Path cniBin) {
        public Config {
            DockerPaths.checkNetns(netns);
            if (!Files.isExecutable(cniBin.resolve(CNI_PLUGIN))) {
                throw new IllegalArgumentException(cniBin.resolve(CNI_PLUGIN) + " is not built: ./mvnw -pl cni-plugin package");
            }
        }
    }

    private final Config config;

    private PodmanEngine(Config config) {
        this.config = config;
    }

    /** Why podman cannot run here (podman, runc or nsenter missing), with the package to install; empty when it can. */
    public static Optional<String> missing() {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("podman", "conmon", "runc", "nsenter")) {
            if (Shell.run("sh", "-c", "command -v " + tool).exit() != 0) {
                missing.add(tool + " (apt-get install " + ("nsenter".equals(tool) ? "util-linux" : "podman") + ")");
            }
        }
        if (!Files.isExecutable(DockerEngine.BUSYBOX)) {
            missing.add(DockerEngine.BUSYBOX + " (apt-get install busybox-static)");
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", missing) + " not installed");
    }

    /** Writes podman's configuration and imports {@value DockerEngine#BUSYBOX_IMAGE}. */
    public static PodmanEngine start(Config config) {
        missing().ifPresent(why -> {
            throw new IllegalStateException("cannot run podman on a simulated host: " + why);
        });
        PodmanEngine engine = new PodmanEngine(config);
        try {
            Files.createDirectories(config.dir().resolve("net.d"));
            Files.writeString(config.dir().resolve("containers.conf"), engine.containersConf());
            BusyboxImage.ensure(engine::podman, "podman of " + config.netns());
            return engine;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * podman's configuration: the CNI backend with netplane-cni's directory before Debian's plugins,
     * and limits this machine lets runc set (it lacks CAP_SYS_RESOURCE for podman's defaults).
     */
    private String containersConf() {
        Path dir = config.dir();
        return "[containers]\n"
                + "default_ulimits = [\"nofile=1024:1024\", \"nproc=4096:4096\"]\n"
                + "[network]\n"
                + "network_backend = \"cni\"\n"
                + "cni_plugin_dirs = [\"" + config.cniBin() + "\", \"/usr/lib/cni\"]\n"
                + "network_config_dir = \"" + dir.resolve("net.d") + "\"\n"
                + "[engine]\n"
                + "cgroup_manager = \"cgroupfs\"\n"
                + "events_logger = \"file\"\n"
                + "events_logfile_path = \"" + dir.resolve("events.log") + "\"\n"
                + "runtime = \"runc\"\n";
    }

    /**
     * Makes netplane network {@code netplaneNetwork} a CNI network {@code name} of this podman
     * (spec {@code cniVersion}); {@code podman run --network name} then asks the agent for it.
     */
    public void network(String name, String netplaneNetwork, String cniVersion) {
        for (String n : List.of(name, netplaneNetwork)) {
            if (!NAME.matcher(n).matches()) {
                throw new IllegalArgumentException("invalid network name " + n);
            }
        }
        String conflist = "{\"cniVersion\":\"" + cniVersion + "\",\"name\":\"" + name + "\",\"plugins\":[{\"type\":\""
                + CNI_PLUGIN + "\",\"agentSocket\":\"" + config.agentSocket() + "\",\"network\":\"" + netplaneNetwork
                + "\",\"capabilities\":{\"portMappings\":true,\"ips\":true,\"mac\":true,\"aliases\":true}}]}\n";
        try {
            Files.writeString(config.dir().resolve("net.d").resolve(name + ".conflist"), conflist);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The podman CLI of this host. */
    public Shell.Result podman(String... args) {
        return Shell.run(command(config.netns(), config.dir(), args), environment(config.dir()), TIMEOUT_SECONDS);
    }

    /** The same with the caller's terminal (`./netplane podman`); its exit status. */
    public int interactive(String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command(config.netns(), config.dir(), args)).inheritIO();
        builder.environment().putAll(environment(config.dir()));
        return builder.start().waitFor();
    }

    private static List<String> command(String netns, Path dir, String... args) {
        Path run = RUN.resolve(netns);
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + netns,
                "podman", "--root", dir.resolve("storage").toString(), "--runroot", run.resolve("run").toString(),
                "--tmpdir", run.resolve("tmp").toString(), "--storage-driver", "vfs"));
        command.addAll(List.of(args));
        return command;
    }

    private static Map<String, String> environment(Path dir) {
        return Map.of("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
    }

    /** Removes the containers and files a podman of {@code netns} rooted at {@code dir} left, if any. */
    public static void removeLeftovers(String netns, Path dir) {
        if (Files.isDirectory(dir) && Files.exists(dir.resolve("containers.conf"))) {
            Shell.run(command(netns, dir, "rm", "--all", "--force", "--time", "0"), environment(dir), TIMEOUT_SECONDS);
        }
        Directories.deleteRecursively(dir);
        Directories.deleteRecursively(RUN.resolve(netns));
    }

    public Config config() {
        return config;
    }

    @Override
    public void close() {
        removeLeftovers(config.netns(), config.dir());
    }
}
