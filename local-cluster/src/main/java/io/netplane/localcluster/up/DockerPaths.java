package io.netplane.localcluster.up;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The fixed places of a simulated Docker host whose network namespace is NS (the contract between
 * local-cluster, the agent's Docker plugin and its DNS stub): dockerd's API socket, the plugin
 * socket the agent serves, dockerd's exec root, and the files dockerd reads as /etc/docker/* because
 * it runs under {@code ip netns exec NS}. Every name is checked before it becomes part of a path.
 */
public final class DockerPaths {

    /** The name dockerd knows netplane's network and IPAM driver by. */
    public static final String PLUGIN = "netplane";
    /** Where the per-host directories live (short: a unix socket path is at most 107 bytes). */
    public static final Path RUN = Path.of("/run/netplane/docker");
    /** The parent of every simulated host's cgroups ({@code --cgroup-parent /netplane-docker/NS}). */
    public static final String CGROUP_PARENT = "netplane-docker";

    private static final Pattern NETNS = Pattern.compile("[a-z][a-z0-9]{0,7}-h[0-9]{1,3}");

    private DockerPaths() {
    }

    /** A simulated host's namespace name (e.g. np-h1, e2e-h2); anything else is refused. */
    public static String checkNetns(String netns) {
        if (netns == null || !NETNS.matcher(netns).matches()) {
            throw new IllegalArgumentException("not a simulated host's namespace name (PREFIX-hN, e.g. np-h1): "
                    + netns);
        }
        return netns;
    }

    /** {@code /run/netplane/docker/NS}. */
    public static Path runDir(String netns) {
        return RUN.resolve(checkNetns(netns));
    }

    /** dockerd's API socket. */
    public static Path apiSocket(String netns) {
        return runDir(netns).resolve("docker.sock");
    }

    /** The DOCKER_HOST of the host's dockerd: {@code unix:///run/netplane/docker/NS/docker.sock}. */
    public static String dockerHost(String netns) {
        return "unix://" + apiSocket(netns);
    }

    /** The socket the host's agent serves the netplane plugin on. */
    public static Path pluginSocket(String netns) {
        return runDir(netns).resolve("plugin.sock");
    }

    /** dockerd's --exec-root (its containerd, runc state and sandboxes' namespace files). */
    public static Path execRoot(String netns) {
        return runDir(netns).resolve("exec");
    }

    public static Path pidFile(String netns) {
        return runDir(netns).resolve("docker.pid");
    }

    /** {@code /etc/netns/NS/docker}: what dockerd sees as /etc/docker. */
    public static Path etcDir(String netns) {
        return Path.of("/etc/netns", checkNetns(netns), "docker");
    }

    /** The plugin spec file, one line: the plugin socket's URL. */
    public static Path pluginSpec(String netns) {
        return etcDir(netns).resolve("plugins").resolve(PLUGIN + ".spec");
    }

    public static Path daemonJson(String netns) {
        return etcDir(netns).resolve("daemon.json");
    }

    /** {@code /netplane-docker/NS}, relative to each cgroup hierarchy's root. */
    public static String cgroupParent(String netns) {
        return "/" + CGROUP_PARENT + "/" + checkNetns(netns);
    }
}
