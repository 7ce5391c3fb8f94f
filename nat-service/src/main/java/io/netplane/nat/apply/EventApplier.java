package io.netplane.nat.apply;

import io.agroal.api.AgroalDataSource;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.HostHeartbeat;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.NetworkCreated;
import io.netplane.events.NetworkRemoved;
import io.netplane.events.model.BoundPort;
import io.netplane.events.model.IpamConfig;
import io.netplane.nat.ports.InvalidPortSpecException;
import io.netplane.nat.ports.PortAllocationException;
import io.netplane.nat.ports.PortBooking;
import io.netplane.nat.store.EndpointRow;
import io.netplane.nat.store.HostRow;
import io.netplane.nat.store.NatStore;
import io.netplane.nat.store.NetworkRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Applies one network or endpoint event to the nat schema, in one transaction with the rulesets
 * it changes. Idempotent: an event not newer than the stored revision of its aggregate is dropped.
 * Only the hosts the event touches are recomputed.
 */
@ApplicationScoped
public class EventApplier {

    static final String MASQUERADE_OPTION = "com.docker.network.bridge.enable_ip_masquerade";

    private final NatStore store = new NatStore();
    private final PortBooking booking = new PortBooking(store);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    HostRulesets rulesets;

    @Transactional(rollbackOn = Exception.class)
    public void apply(NetplaneEvent event) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (event instanceof NetworkCreated n) {
                networkCreated(c, n);
            } else if (event instanceof NetworkRemoved n) {
                networkRemoved(c, n);
            } else if (event instanceof EndpointAllocated e) {
                endpointAllocated(c, e);
            } else if (event instanceof EndpointReleased e) {
                endpointReleased(c, e);
            } else if (event instanceof HostHeartbeat h) {
                hostPorts(c, h);
            }
        }
    }

    /** The ports the host's own processes hold, as its agent saw them last: stored when they changed. */
    private void hostPorts(Connection c, HostHeartbeat h) throws SQLException {
        List<BoundPort> now = h.boundPorts().stream().distinct()
                .sorted(java.util.Comparator.comparing(BoundPort::protocol).thenComparingInt(BoundPort::port)
                        .thenComparing(BoundPort::address)).toList();
        if (!now.equals(store.boundPorts(c, h.hostId()))) {
            store.saveBoundPorts(c, h.hostId(), now);
        }
    }

    private void networkCreated(Connection c, NetworkCreated n) throws SQLException {
        if (!newer(store.network(c, n.networkId()).map(NetworkRow::revision), n.revision())) {
            return;
        }
        boolean masquerade = !"false".equalsIgnoreCase(n.options().getOrDefault(MASQUERADE_OPTION, "true"));
        store.saveNetwork(c, new NetworkRow(n.networkId(), n.revision(), false, n.name(), n.driver(),
                n.bridgeName(), ipv4Subnet(n.ipam()), n.internal(), n.enableIcc(), masquerade));
        refreshAll(c, store.hostsOfNetwork(c, n.networkId()));
    }

    private void networkRemoved(Connection c, NetworkRemoved n) throws SQLException {
        Optional<NetworkRow> held = store.network(c, n.networkId());
        if (!newer(held.map(NetworkRow::revision), n.revision())) {
            return;
        }
        store.saveNetwork(c, new NetworkRow(n.networkId(), n.revision(), true, n.name(), null, null, null, false,
                true, true));
        refreshAll(c, store.hostsOfNetwork(c, n.networkId()));
    }

    private void endpointAllocated(Connection c, EndpointAllocated e) throws SQLException {
        Optional<EndpointRow> held = store.endpoint(c, e.endpointId());
        if (!newer(held.map(EndpointRow::revision), e.revision())) {
            return;
        }
        List<HostRow> hosts = lockHosts(c, e.hostId(), held);
        String ip = address(e.ipv4Address());
        // Docker publishes nothing on an internal network, though its containers route via its gateway
        boolean internal = store.network(c, e.networkId()).map(NetworkRow::internal).orElse(false);
        boolean publishes = e.gatewayEndpoint() && !internal && !"host".equals(e.driver()) && !"null".equals(e.driver());
        String request = publishes ? PortBooking.requestText(e.ports(), e.exposedPorts(), e.publishAllPorts()) : "";
        // a reservation ipam-service made for this endpoint before committing it is taken over as is
        boolean sameRequest = held.isPresent() && !held.get().removed() && held.get().error() == null
                && held.get().hostId().equals(e.hostId()) && request.equals(held.get().portRequest());
        String error = null;
        if (sameRequest) {
            if (!Objects.equals(ip, held.get().containerIp())) {
                store.updateBindingAddress(c, e.endpointId(), ip);
            }
        } else {
            store.deleteBindings(c, e.endpointId());
            error = allocate(c, e, ip, publishes);
        }
        store.saveEndpoint(c, new EndpointRow(e.endpointId(), e.revision(), false, e.hostId(), e.networkId(),
                e.containerId(), e.containerName(), ip, request, error, e.gatewayEndpoint()));
        refreshLocked(c, hosts);
    }

    /** Allocates the endpoint's ports, all or none; the reason in Docker's words when refused. */
    private String allocate(Connection c, EndpointAllocated e, String ip, boolean publishes) throws SQLException {
        if (!publishes) {
            return null;
        }
        try {
            booking.book(c, e.hostId(), e.endpointId(), ip, e.ports(), e.exposedPorts(), e.publishAllPorts());
            return null;
        } catch (InvalidPortSpecException | PortAllocationException refused) {
            return PortBooking.refusal(e.containerName() == null ? e.containerId() : e.containerName(),
                    e.endpointId(), refused);
        }
    }

    private void endpointReleased(Connection c, EndpointReleased e) throws SQLException {
        Optional<EndpointRow> held = store.endpoint(c, e.endpointId());
        if (!newer(held.map(EndpointRow::revision), e.revision())) {
            return;
        }
        List<HostRow> hosts = lockHosts(c, e.hostId(), held);
        store.deleteBindings(c, e.endpointId());
        String network = held.map(EndpointRow::networkId).orElse(e.networkId() == null ? "" : e.networkId());
        store.saveEndpoint(c, new EndpointRow(e.endpointId(), e.revision(), true, e.hostId(), network,
                e.containerId(), held.map(EndpointRow::containerName).orElse(null), null, null, null, false));
        refreshLocked(c, hosts);
    }

    /**
     * Locks the endpoint's host and, if it moved, the host it was on, in name order so two
     * transactions never wait on each other; returns them.
     */
    private List<HostRow> lockHosts(Connection c, String hostId, Optional<EndpointRow> held) throws SQLException {
        TreeSet<String> hosts = new TreeSet<>(List.of(hostId));
        held.filter(h -> !h.removed()).ifPresent(h -> hosts.add(h.hostId()));
        List<HostRow> locked = new ArrayList<>();
        for (String host : hosts) {
            locked.add(store.lockHost(c, host));
        }
        return locked;
    }

    /** Refreshes hosts locked by {@link #lockHosts}, without reading their rows again. */
    private void refreshLocked(Connection c, List<HostRow> hosts) throws SQLException {
        for (HostRow host : hosts) {
            rulesets.refresh(c, host);
        }
    }

    private void refreshAll(Connection c, Collection<String> hosts) throws SQLException {
        for (String host : new TreeSet<>(hosts)) {
            rulesets.refresh(c, host);
        }
    }

    private static boolean newer(Optional<Long> held, long revision) {
        return held.isEmpty() || revision > held.get();
    }

    private static String ipv4Subnet(List<IpamConfig> ipam) {
        return ipam.stream().map(IpamConfig::subnet).filter(s -> s != null && s.contains("."))
                .findFirst().orElse(null);
    }

    /** "172.18.0.2/16" → "172.18.0.2". */
    private static String address(String cidr) {
        if (cidr == null || cidr.isBlank()) {
            return null;
        }
        int slash = cidr.indexOf('/');
        return slash < 0 ? cidr : cidr.substring(0, slash);
    }
}
