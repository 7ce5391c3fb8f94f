package io.netplane.localcluster.up;

import io.netplane.localcluster.Directories;
import java.io.File;
import java.nio.file.Path;
import java.util.List;

/**
 * Removes the container sandboxes the agents of a test bed created (named namespaces
 * {@code <host id>-<container name>}, with their /etc/netns files and the UTS namespaces bound
 * under /run/netplane/uts), once the agents are stopped.
 */
final class Sandboxes {

    /** Where the agent binds each sandbox's UTS namespace (host-agent's NamespaceManager). */
    private static final Path UTS = Path.of("/run/netplane/uts");

    private Sandboxes() {
    }

    static void removeAll(List<SimulatedHosts.Host> hosts) {
        Shell.Result list = Shell.run("ip", "netns", "list");
        if (!list.ok()) {
            return;
        }
        for (String line : list.output().split("\n")) {
            String name = line.split(" ")[0].trim();
            for (SimulatedHosts.Host h : hosts) {
                if (name.startsWith(h.id() + "-")) {
                    Shell.run("ip", "netns", "del", name);
                    Directories.deleteRecursively(Path.of("/etc/netns", name));
                }
            }
        }
        removeUtsNamespaces(hosts);
    }

    private static void removeUtsNamespaces(List<SimulatedHosts.Host> hosts) {
        File[] bound = UTS.toFile().listFiles();
        if (bound == null) {
            return;
        }
        for (File f : bound) {
            for (SimulatedHosts.Host h : hosts) {
                if (f.getName().startsWith(h.id() + "-")) {
                    Shell.run("umount", f.getPath());
                    f.delete();
                }
            }
        }
    }
}
