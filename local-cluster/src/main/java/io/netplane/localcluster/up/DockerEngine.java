package io.netplane.localcluster.up;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One real dockerd "on" a simulated host: started inside the host's network namespace with its own
 * data root, exec root, containerd, UTS name (the host id) and cgroup parent, with netplane as the
 * plugin it finds by name and the host's underlay address as its upstream DNS (both written under
 * /etc/netns/NS/docker, which dockerd sees as /etc/docker). An image {@code busybox:latest} is
 * imported from this machine's /bin/busybox, so no registry is needed.
 *
 * <p>Two daemons on one machine must not see each other: {@code ip netns exec} gives dockerd a
 * private mount namespace, in which the cgroup hierarchies (hidden by the fresh /sys that ip netns
 * exec mounts) are mounted again as this machine has them, and private tmpfs cover /run/docker and
 * /run/containerd (dockerd would otherwise use a containerd another daemon started there, and
 * containerd puts its shims' sockets there). {@link #close()} stops the daemon, its containerd and
 * every container, and removes every file and cgroup it made.
 */
public final class DockerEngine implements AutoCloseable {

    /** The image every simulated host has, made from /bin/busybox. */
    public static final String BUSYBOX_IMAGE = "busybox:latest";
    static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Pattern HOSTNAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}"
            + "(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])");
    /** Docker's default bridge in every simulated host, and where Docker's own networks come from. */
    public static final String DEFAULT_BRIDGE = "198.18.0.1/24";
    static final String OWN_POOLS = "198.19.0.0/16";
    private static final Duration READY = Duration.ofSeconds(90);

    /**
     * Mounts what dockerd needs in its private mount namespace, names the UTS namespace and
     * becomes dockerd. Constant text: every value arrives as a positional argument, checked.
     */
    private static final String LAUNCH = String.join("\n",
            "set -e",
            "host=$1; shift",
            "while [ \"$1\" != -- ]; do",
            "  case \"$1\" in",
            "    tmpfs) mount -t tmpfs -o mode=755 cgroup \"$2\"; shift 2 ;;",
            "    cgroup) mkdir -p \"$3\"; mount -t cgroup -o \"$2\" cgroup \"$3\"; shift 3 ;;",
            "    cgroup2) mkdir -p \"$2\"; mount -t cgroup2 cgroup2 \"$2\"; shift 2 ;;",
            "    link) ln -s \"$2\" \"$3\"; shift 3 ;;",
            "    *) echo \"netplane: unknown mount step $1\" >&2; exit 2 ;;",
            "  esac",
            "done",
            "shift",
            "mount -t tmpfs -o mode=755 tmpfs /run/docker",
            "mount -t tmpfs -o mode=711 tmpfs /run/containerd",
            "hostname \"$host\"",
            "exec \"$@\"");

    /**
     * What a simulated host's daemon is made of: its namespace, its name (the host id), a data
     * root of its own (removed by close), its log file and the address its containers' names
     * are resolved at when Docker's embedded DNS does not know them (the host's underlay address,
     * where the agent's DNS stub listens).
     */
    public record Config(String netns, String hostname, Path dataRoot, Path log, String dnsAddress) {
        public Config {
            DockerPaths.checkNetns(netns);
            if (hostname == null || !HOSTNAME.matcher(hostname).matches()) {
                throw new IllegalArgumentException("not a host name: " + hostname);
            }
            if (dnsAddress == null || !IPV4.matcher(dnsAddress).matches()) {
                throw new IllegalArgumentException("not an IPv4 address for the daemon's DNS: " + dnsAddress);
            }
            dataRoot = dataRoot.toAbsolutePath().normalize();
            log = log.toAbsolutePath().normalize();
            if (dataRoot.getNameCount() < 2) {
                throw new IllegalArgumentException("a data root of its own is needed, not " + dataRoot);
            }
        }
    }

    private final Config config;
    private volatile Process process;

    private DockerEngine(Config config) {
        this.config = config;
    }

    /**
     * Why simulated Docker hosts cannot run on this machine (dockerd, the docker CLI, unshare or
     * /bin/busybox missing), with the Debian package that brings each; empty when they can.
     */
    public static Optional<String> missing() {
        List<String> missing = new ArrayList<>();
        if (which("dockerd").isEmpty()) {
            missing.add("dockerd (apt-get install docker.io)");
        }
        if (which("docker").isEmpty()) {
            missing.add("the docker CLI (apt-get install docker.io)");
        }
        if (which("unshare").isEmpty()) {
            missing.add("unshare (apt-get install util-linux)");
        }
        if (!Files.isExecutable(BUSYBOX)) {
            missing.add(BUSYBOX + " (apt-get install busybox-static)");
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", missing) + " not installed");
    }

    /**
     * Starts the daemon, waits until its API answers and makes sure it has {@value #BUSYBOX_IMAGE}.
     * Whatever a killed earlier run left for this namespace is removed first.
     */
    public static DockerEngine start(Config config) {
        missing().ifPresent(why -> {
            throw new IllegalStateException("cannot start a Docker host: " + why);
        });
        // What a killed earlier daemon left; the run directory stays: the agent may be binding its plugin socket there.
        DockerLeftovers.stopRecorded(config.netns());
        DockerLeftovers.removeDaemonFiles(config.netns(), config.dataRoot());
        DockerEngine engine = new DockerEngine(config);
        try {
            engine.writeFiles();
            engine.launch();
            BusyboxImage.ensure(engine::docker, "dockerd of " + config.netns());
            return engine;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /**
     * Makes image {@code name} on this dockerd from busybox and this machine's {@code programs} with
     * their libraries (e.g. redis-server for S7), unless it has one already.
     */
    public void importImage(String name, List<Path> programs) {
        BusyboxImage.ensure(this::docker, "dockerd of " + config.netns(), name, programs);
    }

    public Config config() {
        return config;
    }

    public String netns() {
        return config.netns();
    }

    /** {@code unix:///run/netplane/docker/NS/docker.sock}, for DOCKER_HOST. */
    public String dockerHost() {
        return DockerPaths.dockerHost(config.netns());
    }

    public Path socket() {
        return DockerPaths.apiSocket(config.netns());
    }

    /** The daemon's pid, or -1 when it is stopped. */
    public long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /** Runs the docker CLI against this daemon; the result holds the exit status and stdout and stderr together. */
    public Shell.Result docker(String... args) {
        return docker(120, args);
    }

    /** As {@link #docker(String...)}, with a time limit in seconds. */
    public Shell.Result docker(int timeoutSeconds, String... args) {
        List<String> cmd = new ArrayList<>(List.of(program("docker")));
        cmd.addAll(List.of(args));
        return Shell.run(cmd, cliEnvironment(), timeoutSeconds);
    }

    /** The docker CLI's environment for this daemon: DOCKER_HOST, and no variable that would send it elsewhere. */
    public Map<String, String> cliEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", dockerHost());
        env.put("DOCKER_CONTEXT", null);
        env.put("DOCKER_TLS_VERIFY", null);
        env.put("DOCKER_CERT_PATH", null);
        env.put("DOCKER_TLS", null);
        return env;
    }

    /** True when GET /_ping on the API socket answers 200. */
    public boolean ping() {
        return ping(socket());
    }

    /** Stops the daemon (SIGTERM, which stops its containers; SIGKILL if it does not exit in time). */
    public void stop() {
        Process p = process;
        process = null;
        if (p != null) {
            DockerLeftovers.terminate(p.toHandle());
        }
        DockerLeftovers.killLeftoverProcesses(config.netns());
    }

    /** Stops and starts the daemon again with the same data root, files and name. */
    public void restart() {
        stop();
        launch();
    }

    /** Stops the daemon and removes what it made: files, directories, cgroups, the data root. */
    @Override
    public void close() {
        stop();
        DockerLeftovers.removeFiles(config.netns(), config.dataRoot(), false);
    }

    /**
     * Once the host's agent is gone too, or for a run that was killed: stops a daemon still recorded
     * for {@code netns}, its containerd, shims and containers, and removes its files, cgroups, the
     * directory of the plugin socket and (when given) its data root.
     */
    public static void removeLeftovers(String netns, Path dataRoot) {
        DockerLeftovers.stopRecorded(netns);
        DockerLeftovers.removeFiles(netns, dataRoot, true);
    }


    /**
     * The daemon's settings: netplane's DNS stub as its upstream, and address ranges of its own for
     * Docker's default bridge and Docker's own networks. netplane's bridges (its default bridge,
     * netplane_gwbridge, user networks) share the host's namespace and come from Docker's usual
     * 172.17-31 and 10/8 pools, so a dockerd left to choose would take a subnet netplane hands out
     * later, and two interfaces would route it. 198.18.0.0/15 (RFC 2544, benchmarking) is never
     * one of netplane's pools.
     */
    static String daemonJson(String dnsAddress) {
        return "{\n  \"dns\": [\"" + dnsAddress + "\"],\n"
                + "  \"bip\": \"" + DEFAULT_BRIDGE + "\",\n"
                + "  \"default-address-pools\": [{\"base\": \"" + OWN_POOLS + "\", \"size\": 24}]\n}\n";
    }

    private void writeFiles() {
        String ns = config.netns();
        try {
            Files.createDirectories(DockerPaths.runDir(ns));
            Files.createDirectories(DockerPaths.pluginSpec(ns).getParent());
            Files.writeString(DockerPaths.pluginSpec(ns), "unix://" + DockerPaths.pluginSocket(ns) + "\n");
            Files.writeString(DockerPaths.daemonJson(ns), daemonJson(config.dnsAddress()));
            Files.createDirectories(config.dataRoot());
            Files.createDirectories(config.log().getParent());
            // ip netns exec binds /etc/netns/NS/docker only over an existing /etc/docker (docker.io ships it empty).
            Files.createDirectories(Path.of("/etc/docker"));
            // The private tmpfs of the daemon's mount namespace are mounted on these (empty on this machine).
            Files.createDirectories(Path.of("/run/docker"));
            Files.createDirectories(Path.of("/run/containerd"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() {
        String ns = config.netns();
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, program("unshare"), "--uts", "sh", "-c",
                LAUNCH, "sh", config.hostname()));
        cmd.addAll(CgroupMounts.steps());
        cmd.add("--");
        cmd.addAll(List.of(program("dockerd"),
                "--data-root", config.dataRoot().toString(),
                "--exec-root", DockerPaths.execRoot(ns).toString(),
                "--pidfile", DockerPaths.pidFile(ns).toString(),
                "-H", dockerHost(),
                "--cgroup-parent", DockerPaths.cgroupParent(ns)));
        try {
            Files.deleteIfExists(socket());
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(config.log().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + READY.toNanos();
        while (!ping()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dockerd in " + ns + " exited with " + process.exitValue() + ": "
                        + tail(config.log()));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("dockerd in " + ns + " did not answer on " + socket() + " within "
                        + READY.toSeconds() + " s: " + tail(config.log()));
            }
            sleep(100);
        }
    }
    /** The cgroup mount steps for {@link #LAUNCH}: see {@link CgroupMounts#steps()}. */
    static List<String> cgroupMountSteps() {
        return CgroupMounts.steps();
    }

    /** {@code <hierarchy>/netplane-docker/NS} in every cgroup hierarchy this machine has mounted. */
    static List<Path> cgroupDirs(String netns) {
        return CgroupMounts.dirs(netns);
    }

    /** A process's arguments joined by spaces, or "" when it is gone or not readable. */
    static String commandLine(long pid) {
        return DockerLeftovers.commandLine(pid);
    }

    static boolean ping(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(64);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                if (buf.position() >= 12) {
                    break;
                }
            }
            String status = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
            return status.startsWith("HTTP/1.1 200") || status.startsWith("HTTP/1.0 200");
        } catch (IOException e) {
            return false;
        }
    }

    /** The absolute path of a program, so the same one runs whatever the PATH of a child is. */
    private static String program(String name) {
        return which(name).map(Path::toString)
                .orElseThrow(() -> new IllegalStateException(name + " is not installed (" + missing().orElse("") + ")"));
    }

    private static Optional<Path> which(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/local/sbin:/usr/sbin:/sbin";
        return Stream.of(path.split(":")).filter(d -> !d.isEmpty()).map(d -> Path.of(d, program))
                .filter(Files::isExecutable).findFirst();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for dockerd", e);
        }
    }
}
