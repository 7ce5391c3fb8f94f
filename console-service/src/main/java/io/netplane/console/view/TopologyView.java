package io.netplane.console.view;

import io.netplane.console.model.Topology;
import io.netplane.events.ContainerCreated;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.NatRuleset;
import io.netplane.events.NetworkCreated;
import io.netplane.events.OverlayMesh;
import io.netplane.events.model.IpamConfig;
import io.netplane.events.model.MeshNetwork;
import io.netplane.events.model.MeshPeer;
import io.netplane.events.model.PortSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What the page shows of a {@link Topology} at one moment, as JSON: hosts with their health,
 * networks with the hosts they span, containers with each endpoint's applied status, published
 * ports per host and the overlay mesh. {@code live} is false for a moment of the past, when
 * health is only "joined" or "left": the history keeps a host's joins and leaves, not every beat.
 */
public record TopologyView(String at, boolean live, List<HostRow> hosts, List<NetworkRow> networks,
        List<EndpointRow> endpoints, List<PortRow> ports, List<RulesetRow> rulesets, List<MeshRow> mesh) {

    /** A host whose last heartbeat is older than this is shown "silent" (agents beat every 3 s). */
    public static final Duration SILENT_AFTER = Duration.ofSeconds(15);

    public record HostRow(String id, String health, String underlay, String agentVersion, String lastHeartbeat) {
    }

    public record NetworkRow(String id, String name, String driver, String scope, List<String> subnets,
            List<String> hosts) {
    }

    /** One row per endpoint; a container without any (network "none") has one row with no network. */
    public record EndpointRow(String endpointId, String containerId, String container, String host, String networkId,
            String network, String address, String mac, String status, String error) {
    }

    public record PortRow(String host, String container, String port) {
    }

    public record RulesetRow(String host, long revision, long dnatRules, String time) {
    }

    public record MeshRow(String host, String vtep, String network, int vni, List<String> peers) {
    }

    public static TopologyView of(Topology t, Instant at, boolean live) {
        List<HostRow> hosts = t.hosts().stream()
                .map(h -> new HostRow(h.heartbeat().hostId(), health(h, at, live), h.heartbeat().underlayAddress(),
                        h.heartbeat().agentVersion(), h.heartbeat().time().toString()))
                .sorted(Comparator.comparing(HostRow::id)).toList();
        List<NetworkRow> networks = t.networks().stream().map(n -> network(t, n))
                .sorted(Comparator.comparing(NetworkRow::name)).toList();
        List<PortRow> ports = new ArrayList<>();
        t.endpoints().stream().filter(EndpointAllocated::gatewayEndpoint).forEach(e -> e.ports()
                .forEach(p -> ports.add(new PortRow(e.hostId(), e.containerName(), port(p)))));
        ports.sort(Comparator.comparing(PortRow::host).thenComparing(PortRow::container));
        List<RulesetRow> rulesets = t.rulesets().stream()
                .map(r -> new RulesetRow(r.hostId(), r.revision(), dnatRules(r), r.time().toString()))
                .sorted(Comparator.comparing(RulesetRow::host)).toList();
        List<MeshRow> mesh = new ArrayList<>();
        for (OverlayMesh m : t.meshes()) {
            for (MeshNetwork n : m.networks()) {
                mesh.add(new MeshRow(m.hostId(), m.vtepAddress(), n.networkName(), n.vni(),
                        n.peers().stream().map(TopologyView::peer).toList()));
            }
        }
        mesh.sort(Comparator.comparing(MeshRow::host).thenComparing(MeshRow::network));
        return new TopologyView(at.toString(), live, hosts, networks, endpoints(t), ports, rulesets, mesh);
    }

    private static String health(Topology.HostState h, Instant at, boolean live) {
        if (h.left()) {
            return "left";
        }
        if (!live) {
            return "joined";
        }
        return h.heartbeat().time().isBefore(at.minus(SILENT_AFTER)) ? "silent" : "up";
    }

    private static NetworkRow network(Topology t, NetworkCreated n) {
        TreeSet<String> spanned = new TreeSet<>();
        t.endpoints().stream().filter(e -> e.networkId().equals(n.networkId())).forEach(e -> spanned.add(e.hostId()));
        t.overlayNetwork(n.networkId()).ifPresent(m -> m.hosts().forEach(h -> spanned.add(h.hostId())));
        List<String> subnets = n.ipam().stream().map(IpamConfig::subnet).filter(Objects::nonNull).toList();
        return new NetworkRow(n.networkId(), n.name(), n.driver(), n.scope(), subnets, List.copyOf(spanned));
    }

    private static List<EndpointRow> endpoints(Topology t) {
        List<EndpointRow> rows = new ArrayList<>();
        for (EndpointAllocated e : t.endpoints()) {
            rows.add(new EndpointRow(e.endpointId(), e.containerId(), e.containerName(), e.hostId(), e.networkId(),
                    e.networkName(), e.ipv4Address(), e.macAddress(), status(t, e), error(t, e)));
        }
        for (ContainerCreated c : t.containers()) {
            if (rows.stream().noneMatch(r -> r.containerId().equals(c.containerId()))) {
                rows.add(new EndpointRow(null, c.containerId(), c.name(), c.hostId(), null, null, null, null,
                        "no endpoint", null));
            }
        }
        rows.sort(Comparator.comparing(EndpointRow::container).thenComparing(r -> String.valueOf(r.network())));
        return rows;
    }

    /** "applied" or "failed" once the agent reported on this revision of the endpoint, else "pending". */
    private static String status(Topology t, EndpointAllocated e) {
        return t.status(e.endpointId()).filter(s -> s.endpointRevision() == e.revision())
                .map(s -> s.state().name().toLowerCase(java.util.Locale.ROOT)).orElse("pending");
    }

    private static String error(Topology t, EndpointAllocated e) {
        return t.status(e.endpointId()).filter(s -> s.endpointRevision() == e.revision()).map(s -> s.error())
                .orElse(null);
    }

    private static String port(PortSpec p) {
        String host = p.hostPort() == null ? "any"
                : p.hostPort() + (p.hostPortEnd() == null ? "" : "-" + p.hostPortEnd());
        String container = p.containerPort() + (p.containerPortEnd() == null ? "" : "-" + p.containerPortEnd());
        String ip = p.hostIp() == null || p.hostIp().isEmpty() ? "" : p.hostIp() + ":";
        return ip + host + " -> " + container + "/" + (p.protocol() == null ? "tcp" : p.protocol());
    }

    private static long dnatRules(NatRuleset r) {
        return r.document().lines().filter(l -> l.contains("-j DNAT")).count();
    }

    private static String peer(MeshPeer p) {
        return p.ipAddress() + " on " + p.hostId() + " via " + p.vtepAddress();
    }
}
