package io.netplane.agent.reconcile;

import io.netplane.agent.firewall.Firewall;
import io.netplane.agent.host.HostConfig;
import io.netplane.agent.netlink.LinkInfo;
import io.netplane.agent.netlink.RtNetlink;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.sandbox.SandboxFiles;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.EndpointStatus;
import io.netplane.events.NatRuleset;
import io.netplane.events.NetworkCreated;
import io.netplane.events.model.EndpointState;
import io.netplane.events.model.MeshNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Makes one host's kernel match its desired state: sandboxes, bridges, overlay devices,
 * endpoints, firewall; then removes what netplane owns but nobody wants. Every pass starts
 * from fresh dumps, so a second pass over an unchanged state changes nothing, and drift (a
 * link or rule removed by hand) is repaired. Not thread-safe: one pass at a time.
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final HostConfig host;
    private final NamespaceManager namespaces;
    private final SandboxManager sandboxes;
    private final EndpointWiring wiring;
    private final Firewall firewall;
    private final StatusBook statuses;
    private RtNetlink hostNl;
    private long appliedNatRevision;
    private String appliedRules;
    private Consumer<Map<String, Path>> sandboxObserver = live -> { };

    public Reconciler(HostConfig host, NamespaceManager namespaces, SandboxFiles files, Firewall firewall) {
        this.host = host;
        this.namespaces = namespaces;
        this.sandboxes = new SandboxManager(host.hostId(), namespaces, files);
        this.wiring = new EndpointWiring(namespaces);
        this.firewall = firewall;
        this.statuses = new StatusBook(host.hostId());
    }

    /** Told after every pass which sandboxes (by container id) exist, e.g. to run DNS stubs in them. */
    public void onSandboxes(Consumer<Map<String, Path>> observer) {
        this.sandboxObserver = observer;
    }

    /** One pass. Returns the endpoint reports that changed since the last pass. */
    public synchronized List<EndpointStatus> reconcile(DesiredState desired) {
        try {
            return pass(desired);
        } catch (RuntimeException e) {
            // the socket may hold unread replies or be in a namespace that went away: start afresh next time
            close();
            throw e;
        }
    }

    private List<EndpointStatus> pass(DesiredState desired) {
        if (hostNl == null) {
            hostNl = namespaces.rtnetlink(host.hostNetns()).tagCreatedLinks(Ownership.LINK_GROUP);
        }
        enableForwarding();
        Map<String, Path> live = sandboxes.ensure(desired);
        HostDevices devices = new HostDevices(hostNl);
        Map<String, Integer> bridges = new HashMap<>();
        Set<String> wantedLinks = new HashSet<>();
        for (NetworkCreated n : desired.networks().values()) {
            if ("bridge".equals(n.driver()) && n.bridgeName() != null) {
                wantedLinks.add(n.bridgeName());
                try {
                    bridges.put(n.networkId(), devices.bridge(n));
                } catch (RuntimeException e) {
                    LOG.warnf("bridge %s of network %s: %s", n.bridgeName(), n.name(), e.getMessage());
                }
            }
        }
        if (desired.mesh() != null) {
            String vtep = desired.mesh().vtepAddress() != null ? desired.mesh().vtepAddress() : host.underlayAddress();
            for (MeshNetwork m : desired.mesh().networks()) {
                wantedLinks.add(m.bridgeName());
                wantedLinks.add(m.vxlanName());
                try {
                    bridges.put(m.networkId(), devices.overlay(m, vtep));
                } catch (RuntimeException e) {
                    LOG.warnf("overlay network %s: %s", m.networkName(), e.getMessage());
                }
            }
        }
        for (EndpointAllocated e : desired.endpoints().values()) {
            wantedLinks.add(Ownership.vethName(e.endpointId()));
            endpoint(devices, e, bridges, live);
        }
        applyFirewall(desired.natRules());
        removeUnwanted(devices, wantedLinks);
        for (EndpointReleased r : desired.released().values()) {
            statuses.removed(r.endpointId(), r.revision());
        }
        sandboxes.removeUnwanted(desired);
        sandboxObserver.accept(live);
        return statuses.drainChanged();
    }

    /** Reports that could not be delivered: the next pass produces them again. */
    public synchronized void forgetReports(List<EndpointStatus> undelivered) {
        for (EndpointStatus s : undelivered) {
            statuses.forget(s.endpointId());
        }
    }

    private void endpoint(HostDevices devices, EndpointAllocated e, Map<String, Integer> bridges, Map<String, Path> live) {
        if (e.ipv4Address() == null || e.ipv4Address().isEmpty()) {
            statuses.applied(e.endpointId(), e.revision()); // host network: nothing of its own to wire
            return;
        }
        Integer bridge = bridges.get(e.networkId());
        Path sandbox = live.get(e.containerId());
        if (bridge == null || sandbox == null) {
            LOG.debugf("endpoint %s waits for its %s", e.endpointId(), bridge == null ? "network" : "sandbox");
            return;
        }
        try {
            wiring.wire(devices, hostNl, e, bridge, sandbox);
            statuses.applied(e.endpointId(), e.revision());
        } catch (RuntimeException ex) {
            LOG.warnf("endpoint %s (%s on %s): %s", e.endpointId(), e.containerName(), e.networkName(), ex.getMessage());
            statuses.failed(e.endpointId(), e.revision(), ex.getMessage());
            devices.refresh();
        }
    }

    private void applyFirewall(NatRuleset rules) {
        if (rules == null) {
            return;
        }
        try {
            if (rules.revision() != appliedNatRevision || !firewall.ownRules(host.hostNetns()).equals(appliedRules)) {
                firewall.apply(host.hostNetns(), rules.document(), rules.jumps());
                appliedNatRevision = rules.revision();
                appliedRules = firewall.ownRules(host.hostNetns());
            }
        } catch (RuntimeException e) {
            LOG.warnf("firewall ruleset revision %d: %s", rules.revision(), e.getMessage());
        }
    }

    private void removeUnwanted(HostDevices devices, Set<String> wanted) {
        for (LinkInfo l : hostNl.links()) {
            if (Ownership.owned(l) && !wanted.contains(l.name())) {
                try {
                    hostNl.deleteLink(l.index());
                    LOG.infof("removed %s (no longer wanted)", l.name());
                } catch (RuntimeException e) {
                    if (!(e instanceof io.netplane.agent.netlink.NetlinkException ne && ne.isNotFound())) {
                        LOG.warnf("cannot remove %s: %s", l.name(), e.getMessage());
                    }
                }
            }
        }
    }

    private void enableForwarding() {
        namespaces.inNamespace(host.hostNetns(), () -> {
            Path forward = Path.of("/proc/sys/net/ipv4/ip_forward");
            try {
                if (!Files.readString(forward).trim().equals("1")) {
                    Files.writeString(forward, "1\n");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot enable IP forwarding", e);
            }
            return null;
        });
    }

    @Override
    public synchronized void close() {
        if (hostNl != null) {
            hostNl.close();
            hostNl = null;
        }
    }

    /** Remembers what was last reported per endpoint, so only changes are published. */
    static final class StatusBook {
        private final String hostId;
        private final Map<String, String> last = new HashMap<>();
        private final List<EndpointStatus> pending = new ArrayList<>();
        private long clock = System.currentTimeMillis() * 1000;

        StatusBook(String hostId) {
            this.hostId = hostId;
        }

        void applied(String endpointId, long revision) {
            report(endpointId, revision, EndpointState.APPLIED, null);
        }

        void failed(String endpointId, long revision, String error) {
            report(endpointId, revision, EndpointState.FAILED, error);
        }

        void removed(String endpointId, long revision) {
            report(endpointId, revision, EndpointState.REMOVED, null);
        }

        private void report(String endpointId, long revision, EndpointState state, String error) {
            String key = revision + " " + state + " " + error;
            if (key.equals(last.put(endpointId, key))) {
                return;
            }
            // monotonic across restarts: starts from the wall clock
            clock = Math.max(clock + 1, System.currentTimeMillis() * 1000);
            pending.add(new EndpointStatus(endpointId, clock, Instant.now(), EndpointStatus.SCHEMA_VERSION, hostId,
                    revision, state, error));
        }

        void forget(String endpointId) {
            last.remove(endpointId);
        }

        List<EndpointStatus> drainChanged() {
            List<EndpointStatus> out = List.copyOf(pending);
            pending.clear();
            return out;
        }
    }
}
