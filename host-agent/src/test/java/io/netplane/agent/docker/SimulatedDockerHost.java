package io.netplane.agent.docker;

import io.netplane.agent.reconcile.LocalReports;
import io.netplane.agent.socket.LocalPlugins;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.agent.host.HostConfig;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.support.Namespaces;
import io.netplane.agent.support.Shell;
import io.netplane.events.NetworkCreated;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import io.netplane.localcluster.up.DockerEngine;
import io.netplane.localcluster.up.DockerPaths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One simulated Docker host for tests: a namespace with a real dockerd 20.10 in it, started by
 * local-cluster's {@link DockerEngine} (the one way netplane runs a dockerd per host: own data and
 * exec roots, own containerd, cgroups mounted again, the plugin found through its spec file), and
 * netplane's plugin serving it with the engine sync. {@link #close()} stops dockerd and removes
 * what it made.
 */
final class SimulatedDockerHost implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    final String hostId;
    final String ns;
    final Path root;
    private final DockerEngine engine;
    private final NamespaceManager manager;
    private final URI ipamUrl;
    private final Supplier<Collection<NetworkCreated>> desired;
    LocalPlugins plugin;

    SimulatedDockerHost(String hostId, NamespaceManager manager, Namespaces namespaces, URI ipamUrl,
            Supplier<Collection<NetworkCreated>> desired) throws Exception {
        this.hostId = hostId;
        // DockerPaths' form: a short prefix, then the host
        this.ns = "npd" + ProcessHandle.current().pid() % 1000 + COUNTER.incrementAndGet() + "-" + hostId;
        manager.create(ns);
        namespaces.adopt(ns);
        Shell.must("ip", "-n", ns, "link", "set", "lo", "up");
        this.root = Files.createTempDirectory(Path.of("/tmp"), "npd");
        this.manager = manager;
        this.ipamUrl = ipamUrl;
        this.desired = desired;
        startPlugin();
        this.engine = DockerEngine.start(new DockerEngine.Config(ns, hostId, root.resolve("data"),
                root.resolve("dockerd.log"), "10.0.0.1"));
    }

    /** The agent's plugin (again, after {@link #stopPlugin()}: as a restarted agent, from its state file). */
    void startPlugin() {
        plugin = new LocalPlugins(new DockerSettings(DockerPaths.pluginSocket(ns), null,
                DockerPaths.dockerHost(ns), ipamUrl),
                new HostConfig(hostId, NamespaceManager.pathOf(ns), "10.0.0.1", null), manager, () -> { }, desired, new LocalReports());
    }

    void stopPlugin() {
        plugin.close();
        plugin = null;
    }

    Path stateFile() {
        return Path.of(DockerPaths.pluginSocket(ns) + ".state.json");
    }

    io.netplane.localcluster.up.Shell.Result docker(String... args) {
        return engine.docker(args);
    }

    String must(String... args) {
        io.netplane.localcluster.up.Shell.Result r = docker(args);
        assertThat(r.exit()).as("docker %s on %s: %s", String.join(" ", args), hostId, r.output()).isZero();
        return r.output().trim();
    }

    @Override
    public void close() throws Exception {
        String running = docker("ps", "-aq").output().trim();
        if (!running.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("rm", "-f"));
            rm.addAll(List.of(running.split("\\s+")));
            docker(rm.toArray(String[]::new));
        }
        engine.close();
        if (plugin != null) {
            plugin.close();
        }
        DockerEngine.removeLeftovers(ns, null);
        Shell.run("rm", "-rf", root.toString());
    }
}
