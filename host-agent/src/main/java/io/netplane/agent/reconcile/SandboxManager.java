package io.netplane.agent.reconcile;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.sandbox.SandboxFiles;
import io.netplane.events.ContainerCreated;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.NetworkCreated;
import io.netplane.events.Names;
import io.netplane.events.model.Link;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Containers' sandboxes: a named namespace the agent creates (sandbox "create") or a path a
 * runtime gave; host-network containers have none. Writes the /etc/netns files of named ones
 * and removes the named ones it made (prefix hostId- and its owner mark, so that an agent
 * "node" never takes the sandboxes of an agent "node-2") once no container wants them.
 */
final class SandboxManager {

    private static final Logger LOG = Logger.getLogger(SandboxManager.class);
    static final String CREATE = "create";

    private final String hostId;
    private final NamespaceManager namespaces;
    private final SandboxFiles files;
    private final EndpointWiring loopback;
    /** Container id to the sandbox and identity a pass set up completely. */
    private final Map<String, String> done = new HashMap<>();

    SandboxManager(String hostId, NamespaceManager namespaces, SandboxFiles files) {
        this.hostId = hostId;
        this.namespaces = namespaces;
        this.files = files;
        this.loopback = new EndpointWiring(namespaces);
    }

    /** {@code hostname} is the container's, or its short id when none was given, as in Docker. */
    private record Sandbox(String containerId, String sandbox, String sandboxName, String hostname) {
        Sandbox {
            hostname = hostname == null || hostname.isEmpty() ? Names.shortId(containerId) : hostname;
        }

        boolean named() {
            return sandbox == null || sandbox.isEmpty() || CREATE.equals(sandbox);
        }

        Path path() {
            return named() ? NamespaceManager.pathOf(sandboxName) : Path.of(sandbox);
        }
    }

    /**
     * As above; with {@code full} false, a sandbox already set up by an earlier pass with the same
     * identity is taken as it is (no files read, no namespace entered): a change to one container
     * costs one sandbox, not every sandbox of the host. Full passes check them all.
     */
    Map<String, Path> ensure(DesiredState desired, boolean full) {
        Map<String, Sandbox> wanted = wanted(desired);
        Map<String, Path> live = new LinkedHashMap<>();
        done.keySet().retainAll(wanted.keySet());
        for (Sandbox s : wanted.values()) {
            try {
                SandboxFiles.Identity identity = s.named() ? identity(s, desired) : null;
                String fingerprint = s + " " + identity;
                if (!full && fingerprint.equals(done.get(s.containerId())) && Files.exists(s.path())) {
                    live.put(s.containerId(), s.path());
                    continue;
                }
                done.remove(s.containerId());
                if (s.named()) {
                    if (!namespaces.exists(s.sandboxName())) {
                        files.markOwner(s.sandboxName(), hostId);
                        namespaces.create(s.sandboxName());
                    }
                    if (!namespaces.utsExists(s.sandboxName())) {
                        namespaces.createUts(s.sandboxName(), s.hostname());
                    }
                    files.write(s.sandboxName(), identity);
                } else if (!Files.exists(s.path())) {
                    LOG.warnf("sandbox %s of container %s does not exist", s.path(), s.containerId());
                    continue;
                }
                loopback.loopbackUp(s.path());
                live.put(s.containerId(), s.path());
                done.put(s.containerId(), fingerprint);
            } catch (RuntimeException e) {
                LOG.warnf("sandbox of container %s: %s", s.containerId(), e.getMessage());
            }
        }
        return live;
    }

    /** Forget what earlier passes set up: the next pass checks every sandbox. */
    void forget() {
        done.clear();
    }

    /** Removes named sandboxes of this host that no container wants any more; returns their paths. */
    Set<Path> removeUnwanted(DesiredState desired) {
        Set<String> keep = new HashSet<>();
        for (Sandbox s : wanted(desired).values()) {
            if (s.named()) {
                keep.add(s.sandboxName());
            }
        }
        Set<Path> removed = new HashSet<>();
        Set<String> made = new TreeSet<>(namespaces.list());
        made.addAll(namespaces.listUts());
        for (String name : made) {
            if (name.startsWith(hostId + "-") && !keep.contains(name) && hostId.equals(files.owner(name))) {
                namespaces.remove(name);
                files.remove(name);
                LOG.infof("removed sandbox %s", name);
                removed.add(NamespaceManager.pathOf(name));
            }
        }
        return removed;
    }

    private Map<String, Sandbox> wanted(DesiredState desired) {
        Map<String, Sandbox> out = new LinkedHashMap<>();
        for (ContainerCreated c : desired.containers().values()) {
            if (Names.HOST_NETWORK.equals(c.networkMode()) || Names.RUNTIME_SANDBOX.equals(c.sandbox())) {
                continue; // no namespace of its own, or one a container engine makes and removes
            }
            String name = c.sandboxName() != null ? c.sandboxName() : Names.sandboxName(hostId, c.name());
            out.put(c.containerId(), new Sandbox(c.containerId(), c.sandbox(), name, c.hostname()));
        }
        for (EndpointAllocated e : desired.endpoints().values()) {
            if (e.ipv4Address() == null || e.ipv4Address().isEmpty() || out.containsKey(e.containerId())
                    || Names.RUNTIME_SANDBOX.equals(e.sandbox())) {
                continue;
            }
            String name = e.sandboxName() != null ? e.sandboxName() : Names.sandboxName(hostId, e.containerName());
            out.put(e.containerId(), new Sandbox(e.containerId(), e.sandbox(), name, e.hostname()));
        }
        return out;
    }

    private static SandboxFiles.Identity identity(Sandbox s, DesiredState desired) {
        List<String> own = new ArrayList<>();
        Map<String, Link> links = new HashMap<>();
        boolean embeddedDns = false;
        for (EndpointAllocated e : desired.endpoints().values()) {
            if (!e.containerId().equals(s.containerId())) {
                continue;
            }
            if (e.ipv4Address() != null && !e.ipv4Address().isEmpty()) {
                own.add(e.ipv4Address());
            }
            if (!onPredefinedNetwork(desired, e)) {
                embeddedDns |= e.ipv4Address() != null && !e.ipv4Address().isEmpty();
                continue;
            }
            for (Link l : e.links()) {
                links.putIfAbsent(l.alias() + " " + l.name(), l);
            }
        }
        own.sort(null);
        List<Link> sorted = new ArrayList<>(links.values());
        sorted.sort((a, b) -> String.valueOf(a.alias()).compareTo(String.valueOf(b.alias())));
        return new SandboxFiles.Identity(s.hostname(), own, sorted, embeddedDns);
    }

    /**
     * Whether {@code e} is on the default bridge (a predefined network with addresses), where Docker
     * writes links into /etc/hosts and gives no embedded DNS; on a user-defined network a link is a
     * DNS name only, and the container asks 127.0.0.11.
     */
    private static boolean onPredefinedNetwork(DesiredState desired, EndpointAllocated e) {
        NetworkCreated n = desired.networks().get(e.networkId());
        return n != null && n.predefined();
    }
}
