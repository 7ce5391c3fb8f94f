package io.netplane.localcluster.up;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code ./netplane podman HOST ARGS...}: podman on simulated host HOST of a running
 * {@code netplane up}, with netplane as its CNI network. Each network named by {@code --network}
 * gets a conflist naming netplane-cni and the host agent's socket, so any netplane network is a
 * podman network of the same name.
 */
public final class PodmanCommand {

    private static final Set<String> PODMAN_OWN = Set.of("host", "none", "bridge", "private", "slirp4netns");

    private PodmanCommand() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        String host = args[1];
        List<String> podmanArgs = List.of(args).subList(2, args.length);
        String netns = Up.HOSTS_PREFIX + "-" + host;
        PodmanEngine.missing().ifPresent(why -> {
            System.err.println("netplane podman: " + why);
            System.exit(1);
        });
        PodmanEngine podman = PodmanEngine.start(new PodmanEngine.Config(netns,
                new Up.State(root.resolve(".netplane")).podmanDir().resolve(host), DockerPaths.pluginSocket(netns),
                root.resolve("cni-plugin/target")));
        for (int i = 0; i < podmanArgs.size(); i++) {
            String a = podmanArgs.get(i);
            String network = a.startsWith("--network=") ? a.substring("--network=".length())
                    : a.equals("--network") && i + 1 < podmanArgs.size() ? podmanArgs.get(i + 1) : null;
            if (network != null && !PODMAN_OWN.contains(network)) {
                podman.network(network, network, "1.0.0");
            }
        }
        System.exit(podman.interactive(podmanArgs.toArray(String[]::new)));
    }
}
