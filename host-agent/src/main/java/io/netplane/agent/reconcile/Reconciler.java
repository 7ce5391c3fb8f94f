package io.netplane.agent.reconcile;

import io.netplane.agent.firewall.Firewall;
import io.netplane.agent.firewall.IptablesRunner;
import io.netplane.agent.host.HostConfig;
import io.netplane.agent.netlink.LinkInfo;
import io.netplane.agent.netlink.RtNetlink;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.proxy.Ipv6Proxies;
import io.netplane.agent.sandbox.SandboxFiles;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.model.PortBinding;
import io.netplane.events.EndpointReleased;
import io.netplane.events.EndpointStatus;
import io.netplane.events.NatRuleset;
import io.netplane.events.NetworkCreated;
import io.netplane.events.model.MeshNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import io.netplane.events.Names;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Makes one host's kernel match its desired state: sandboxes, bridges, overlay devices,
 * endpoints, firewall; then removes what netplane owns but nobody wants. Every pass starts
 * from fresh dumps, so a second pass over an unchanged state changes nothing, and drift (a
 * link or rule removed by hand) is repaired. Not thread-safe: one pass at a time.
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    /** How long to wait for the kernel to dismantle the pairs of removed sandboxes before deleting them. */
    private static final java.time.Duration KERNEL_TEARDOWN = java.time.Duration.ofMillis(50);

    private final HostConfig host;
    private final NamespaceManager namespaces;
    private final SandboxManager sandboxes;
    private final EndpointWiring wiring;
    private final Firewall firewall;
    private final StatusBook statuses;
    private final Ipv6Proxies ipv6Proxies;
    private RtNetlink hostNl;
    private long appliedNatRevision;
    private List<PortBinding> appliedBindings = List.of();
    /** Host-side veth name to the sandbox its peer was wired into (by this process). */
    private final Map<String, Path> wiredIn = new HashMap<>();
    /** Endpoint id to the revision, bridge and sandbox it was last wired with, by this process. */
    private final Map<String, String> wired = new HashMap<>();
    /** Kernel switches found or set to 1 since the last full pass. */
    private final Set<String> switchedOn = new HashSet<>();
    private Consumer<Map<String, Path>> sandboxObserver = live -> { };
    /** Host-side veths a container engine's plugin made whose endpoints may not have arrived yet. */
    private volatile Supplier<? extends Collection<String>> engineVeths = List::of;
    /** Set where dockerd runs (FORWARD policy DROP): accepts frames bridged within a netplane bridge. */
    private volatile BridgedForwarding bridgedForwarding;
    private volatile ReconcileMetrics metrics = ReconcileMetrics.NONE;
    /** Events older than this process are not timed: a restarted agent re-wiring them says nothing of latency. */
    private final Instant started = Instant.now();
    /** Endpoint id to the last revision whose event-to-kernel time was recorded. */
    private final Map<String, Long> timed = new HashMap<>();

    public Reconciler(HostConfig host, NamespaceManager namespaces, SandboxFiles files, Firewall firewall) {
        this.host = host;
        this.namespaces = namespaces;
        this.sandboxes = new SandboxManager(host.hostId(), namespaces, files);
        this.wiring = new EndpointWiring(namespaces);
        this.firewall = firewall;
        this.statuses = new StatusBook(host.hostId());
        this.ipv6Proxies = new Ipv6Proxies(namespaces, host.hostNetns());
    }

    /** The host ports the agent itself holds ("tcp/8080": its IPv6 proxies), which are no host process's. */
    public Set<String> ownPorts() {
        Set<String> own = new HashSet<>();
        ipv6Proxies.answered().forEach(b -> own.add(b.protocol() + "/" + b.hostPort()));
        return own;
    }

    public void metrics(ReconcileMetrics metrics) {
        this.metrics = metrics;
    }

    /** Told after every pass which sandboxes (by container id) exist, e.g. to run DNS stubs in them. */
    public void onSandboxes(Consumer<Map<String, Path>> observer) {
        this.sandboxObserver = observer;
    }

    /**
     * Tells which host-side veths Docker's plugin holds: never removed, even before their endpoint
     * reaches this host's desired state (the plugin makes them when Docker asks, the event follows).
     */
    public void keepEngineVeths(Supplier<? extends Collection<String>> veths) {
        this.engineVeths = veths;
    }

    /** On a host where dockerd runs: accept what netplane's bridges forward between their own ports. */
    public void acceptBridgedForwarding(IptablesRunner iptables) {
        this.bridgedForwarding = new BridgedForwarding(iptables);
    }

    /** One full pass. Returns the endpoint reports that changed since the last pass. */
    public synchronized List<EndpointStatus> reconcile(DesiredState desired) {
        return reconcile(desired, true);
    }

    /**
     * One pass. A full pass checks everything against the kernel, as the periodic resync does. A
     * quick pass (run because the desired state changed) takes as they are what an earlier pass of
     * this process set up and that has not changed since: the firewall is applied only when its
     * revision differs and is not read back (two {@code iptables-save} runs, once the biggest part of
     * a pass), kernel switches already on are not read again, and unchanged sandboxes and endpoints
     * are not entered (so a change costs what changed, not every container of the host). Their
     * host-side links are still checked from the pass's fresh dump. Drift that comes without an
     * event (a rule or address changed by hand) is repaired by the next full pass.
     */
    public synchronized List<EndpointStatus> reconcile(DesiredState desired, boolean full) {
        try {
            return pass(desired, full);
        } catch (RuntimeException e) {
            // the socket may hold unread replies or be in a namespace that went away: start afresh next time
            close();
            throw e;
        }
    }

    private List<EndpointStatus> pass(DesiredState desired, boolean full) {
        if (hostNl == null) {
            hostNl = namespaces.rtnetlink(host.hostNetns()).tagCreatedLinks(Ownership.LINK_GROUP);
        }
        if (full) {
            switchedOn.clear(); // a full pass reads every switch again
        }
        switchOn(List.of("net/ipv4/ip_forward", "net/bridge/bridge-nf-call-iptables"));
        Map<String, Path> live = sandboxes.ensure(desired, full);
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
        // nat-service's ruleset DNATs the host's own 127.0.0.1 into containers: the bridges must route it.
        switchOn(desired.networks().values().stream()
                .filter(n -> "bridge".equals(n.driver()) && n.bridgeName() != null)
                .map(n -> "net/ipv4/conf/" + n.bridgeName() + "/route_localnet")
                .toList());
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
            // a Docker container leaves through its overlay bridge, and its published ports with it
            switchOn(desired.mesh().networks().stream()
                    .filter(m -> bridges.containsKey(m.networkId()))
                    .map(m -> "net/ipv4/conf/" + m.bridgeName() + "/route_localnet").toList());
        }
        wired.keySet().retainAll(desired.endpoints().keySet());
        timed.keySet().retainAll(desired.endpoints().keySet());
        for (EndpointAllocated e : desired.endpoints().values()) {
            wantedLinks.add(Ownership.vethName(e.endpointId()));
            endpoint(devices, e, bridges, live, full);
        }
        acceptBridged(desired, bridges.keySet(), full);
        applyFirewall(desired.natRules(), full);
        ipv6Proxies.sync(ownIpv6Ports(desired));
        // Teardown, sandboxes first: a sandbox's DNS stub holds its namespace, and once the namespace
        // is gone the kernel dismantles the veth pairs inside it on its own, in a few milliseconds.
        // Deleting a veth by hand waits for RCU grace periods (20-35 ms measured).
        sandboxObserver.accept(live);
        Set<Path> goneSandboxes = sandboxes.removeUnwanted(desired);
        removeUnwanted(wantedLinks, goneSandboxes);
        for (EndpointReleased r : desired.released().values()) {
            statuses.removed(r.endpointId(), r.revision());
        }
        return statuses.drainChanged();
    }

    /** Reports that could not be delivered: the next pass produces them again. */
    public synchronized void forgetReports(List<EndpointStatus> undelivered) {
        for (EndpointStatus s : undelivered) {
            statuses.forget(s.endpointId());
        }
    }

    private void endpoint(HostDevices devices, EndpointAllocated e, Map<String, Integer> bridges, Map<String, Path> live,
            boolean full) {
        if (e.ipv4Address() == null || e.ipv4Address().isEmpty()) {
            statuses.applied(e.endpointId(), e.revision()); // host network: nothing of its own to wire
            return;
        }
        Integer bridge = bridges.get(e.networkId());
        if (Names.RUNTIME_SANDBOX.equals(e.sandbox())) {
            engineEndpoint(devices, e, bridge);
            return;
        }
        Path sandbox = live.get(e.containerId());
        if (bridge == null || sandbox == null) {
            LOG.debugf("endpoint %s waits for its %s", e.endpointId(), bridge == null ? "network" : "sandbox");
            return;
        }
        String vethName = Ownership.vethName(e.endpointId());
        String fingerprint = e.revision() + " " + bridge + " " + sandbox;
        LinkInfo veth = devices.view().links.get(vethName);
        if (!full && fingerprint.equals(wired.get(e.endpointId())) && veth != null && veth.master() == bridge) {
            return; // wired by an earlier pass and unchanged: a full pass checks inside the sandbox
        }
        boolean wiredBefore = fingerprint.equals(wired.remove(e.endpointId()));
        if (wiredBefore && (veth == null || veth.master() != bridge)) {
            metrics.driftRepaired("endpoint"); // wired unchanged by this process, yet its veth is gone or moved
        }
        try {
            wiring.wire(devices, hostNl, e, bridge, sandbox);
            wiredIn.put(vethName, sandbox);
            wired.put(e.endpointId(), fingerprint);
            applied(e);
        } catch (RuntimeException ex) {
            LOG.warnf("endpoint %s (%s on %s): %s", e.endpointId(), e.containerName(), e.networkName(), ex.getMessage());
            statuses.failed(e.endpointId(), e.revision(), ex.getMessage());
            devices.refresh();
        }
    }

    private void applied(EndpointAllocated e) {
        statuses.applied(e.endpointId(), e.revision());
        Long before = timed.put(e.endpointId(), e.revision());
        if ((before == null || before < e.revision()) && !e.time().isBefore(started)) {
            metrics.endpointApplied(Duration.between(e.time(), Instant.now()));
        }
    }

    private void acceptBridged(DesiredState desired, Set<String> builtNetworks, boolean full) {
        BridgedForwarding forwarding = bridgedForwarding;
        if (forwarding == null) {
            return;
        }
        SortedSet<String> names = new TreeSet<>();
        for (NetworkCreated n : desired.networks().values()) {
            if (n.enableIcc() && "bridge".equals(n.driver()) && n.bridgeName() != null && builtNetworks.contains(n.networkId())) {
                names.add(n.bridgeName());
            }
        }
        if (desired.mesh() != null) {
            for (MeshNetwork m : desired.mesh().networks()) {
                NetworkCreated n = desired.networks().get(m.networkId());
                if ((n == null || n.enableIcc()) && builtNetworks.contains(m.networkId())) {
                    names.add(m.bridgeName());
                }
            }
        }
        try {
            forwarding.sync(host.hostNetns(), names, full);
        } catch (RuntimeException e) {
            forwarding.forget();
            LOG.warnf("forwarding within netplane's bridges: %s", e.getMessage());
        }
    }

    /**
     * An endpoint whose sandbox a container engine owns (Docker, through netplane's plugin): the
     * plugin made its veth pair and the engine moved the far side into the container; what is
     * left here is making the host side a port of the network's bridge. Applied once it is.
     */
    private void engineEndpoint(HostDevices devices, EndpointAllocated e, Integer bridge) {
        String vethName = Ownership.vethName(e.endpointId());
        LinkInfo veth = devices.view().links.get(vethName);
        if (bridge == null || veth == null) {
            LOG.debugf("endpoint %s waits for its %s", e.endpointId(), bridge == null ? "network" : "veth (Docker's plugin)");
            return;
        }
        try {
            LinkSetup.bridgePort(hostNl, veth, bridge);
            LinkSetup.mtu(hostNl, veth, e.mtu());
            LinkSetup.up(hostNl, veth);
            applied(e);
        } catch (RuntimeException ex) {
            LOG.warnf("endpoint %s (%s on %s): %s", e.endpointId(), e.containerName(), e.networkName(), ex.getMessage());
            statuses.failed(e.endpointId(), e.revision(), ex.getMessage());
            devices.refresh();
        }
    }

    private void applyFirewall(NatRuleset rules, boolean checkDrift) {
        if (rules == null) {
            return;
        }
        try {
            boolean newRevision = rules.revision() != appliedNatRevision;
            Firewall.State state = checkDrift ? firewall.state(host.hostNetns()) : Firewall.State.CURRENT;
            long start = System.nanoTime();
            if (state != Firewall.State.CURRENT) {
                if (state == Firewall.State.DRIFTED) {
                    metrics.driftRepaired("firewall");
                }
                String own = firewall.apply(host.hostNetns(), rules.document(), rules.jumps());
                metrics.firewallApplied(Duration.ofNanos(System.nanoTime() - start),
                        (int) own.lines().filter(l -> l.contains(" -A ")).count());
            } else if (newRevision) {
                firewall.applyRevision(host.hostNetns(), rules.document(), rules.jumps());
                metrics.firewallApplied(Duration.ofNanos(System.nanoTime() - start),
                        (int) rules.document().lines().filter(l -> l.startsWith("-A ")).count() + rules.jumps().size());
            }
            if (newRevision) {
                firewall.clearStaleFlows(host.hostNetns(), appliedBindings, rules.bindings());
                appliedBindings = rules.bindings();
                appliedNatRevision = rules.revision();
            }
        } catch (RuntimeException e) {
            LOG.warnf("firewall ruleset revision %d: %s", rules.revision(), e.getMessage());
        }
    }

    /**
     * The ruleset's ports on every address, tcp or udp, that lead to an endpoint of this host of a
     * sandbox netplane or Docker made: answered on IPv6 too, as docker-proxy does (the proxies connect
     * nowhere else). A CNI runtime's ports are left as CNI's portmap leaves them: podman holds them
     * open itself, and a proxy would race it for the port.
     */
    private static List<PortBinding> ownIpv6Ports(DesiredState desired) {
        if (desired.natRules() == null) {
            return List.of();
        }
        Set<String> own = new HashSet<>();
        for (EndpointAllocated e : desired.endpoints().values()) {
            boolean dockerLike = Names.CREATE_SANDBOX.equals(e.sandbox()) || Names.RUNTIME_SANDBOX.equals(e.sandbox());
            if (dockerLike && e.ipv4Address() != null && !e.ipv4Address().isEmpty()) {
                own.add(e.ipv4Address().replaceFirst("/.*", ""));
            }
        }
        return desired.natRules().bindings().stream()
                .filter(b -> b.anyHostIp() && ("tcp".equals(b.protocol()) || "udp".equals(b.protocol())))
                .filter(b -> own.contains(b.containerIp())).toList();
    }

    private void removeUnwanted(Set<String> wanted, Set<Path> goneSandboxes) {
        Set<String> present = new HashSet<>();
        Map<String, LinkInfo> unwanted = new HashMap<>();
        Set<String> leftToKernel = new HashSet<>();
        List<LinkInfo> links = hostNl.links();
        // read after the links: a veth the engine's plugin makes now is named there before it exists
        Set<String> keep = new HashSet<>(wanted);
        keep.addAll(engineVeths.get());
        for (LinkInfo l : links) {
            present.add(l.name());
            if (Ownership.owned(l) && !keep.contains(l.name())) {
                unwanted.put(l.name(), l);
                if (goneSandboxes.contains(wiredIn.get(l.name()))) {
                    leftToKernel.add(l.name());
                }
            }
        }
        if (!leftToKernel.isEmpty()) {
            // their peers were in namespaces just removed: the kernel is deleting these pairs. Wait
            // for it (a few ms) rather than delete them by hand; whatever is left is deleted below,
            // so the old pair (whose address and MAC a new endpoint may take) is gone when the pass ends.
            long deadline = System.nanoTime() + KERNEL_TEARDOWN.toNanos();
            while (System.nanoTime() < deadline) {
                Set<String> now = new HashSet<>();
                hostNl.links().forEach(l -> now.add(l.name()));
                leftToKernel.retainAll(now);
                if (leftToKernel.isEmpty()) {
                    break;
                }
                sleepMillis(1);
            }
            unwanted.keySet().removeIf(name -> !leftToKernel.contains(name) && goneSandboxes.contains(wiredIn.get(name)));
        }
        for (LinkInfo l : unwanted.values()) {
            try {
                hostNl.deleteLink(l.index());
                LOG.infof("removed %s (no longer wanted)", l.name());
            } catch (RuntimeException e) {
                if (!(e instanceof io.netplane.agent.netlink.NetlinkException ne && ne.isNotFound())) {
                    LOG.warnf("cannot remove %s: %s", l.name(), e.getMessage());
                }
            }
        }
        wiredIn.keySet().retainAll(present);
        wiredIn.keySet().removeAll(unwanted.keySet());
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sets kernel switches to 1 in the host's namespace (paths under /proc/sys). A switch whose file
     * does not exist is skipped: bridge-nf-call-iptables exists only once br_netfilter is loaded.
     */
    private void switchOn(List<String> keys) {
        List<String> todo = keys.stream().filter(k -> !switchedOn.contains(k)).toList();
        if (todo.isEmpty()) {
            return;
        }
        List<String> on = namespaces.inNamespace(host.hostNetns(), () -> {
            List<String> set = new ArrayList<>();
            for (String key : todo) {
                Path file = Path.of("/proc/sys", key);
                try {
                    if (Files.exists(file)) {
                        if (!Files.readString(file).trim().equals("1")) {
                            Files.writeString(file, "1\n");
                        }
                        set.add(key);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot set " + key, e);
                }
            }
            return set;
        });
        switchedOn.addAll(on);
    }

    @Override
    public synchronized void close() {
        // what earlier passes set up is checked again by the next one
        wired.clear();
        switchedOn.clear();
        sandboxes.forget();
        ipv6Proxies.close();
        if (hostNl != null) {
            hostNl.close();
            hostNl = null;
        }
    }
}
