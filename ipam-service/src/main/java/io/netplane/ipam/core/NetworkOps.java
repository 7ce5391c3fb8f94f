package io.netplane.ipam.core;

import io.netplane.events.Names;
import io.netplane.events.model.IpamConfig;
import io.netplane.events.model.NetworkSpec;
import io.netplane.ipam.address.Cidr;
import io.netplane.ipam.address.DefaultPools;
import io.netplane.ipam.outbox.EventSink;
import io.netplane.ipam.store.EndpointStore;
import io.netplane.ipam.store.NetworkStore;
import io.netplane.ipam.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Creating, removing and pruning networks, inside the caller's transaction. */
public final class NetworkOps {

    private final IpamSettings settings;
    private final EventSink events;
    private final DefaultPools localPools;
    private final DefaultPools globalPools;

    public NetworkOps(IpamSettings settings, EventSink events) {
        this.settings = settings;
        this.events = events;
        this.localPools = new DefaultPools(settings.localPools());
        this.globalPools = new DefaultPools(settings.globalPools());
    }

    /** Creates bridge, host and none when they are missing (first start) and publishes them. */
    public void ensurePredefined(Connection c) throws SQLException {
        lockPools(c, Network.LOCAL);
        if (NetworkStore.byName(c, Names.BRIDGE_NETWORK).isEmpty()) {
            Cidr subnet = settings.defaultBridgeSubnet();
            Subnet s = new Subnet(subnet, null, settings.defaultBridgeGateway(), Map.of(), false, false);
            store(c, predefined(Names.BRIDGE_NETWORK, "bridge", settings.defaultBridgeDevice(), List.of(s)));
        }
        if (NetworkStore.byName(c, Names.HOST_NETWORK).isEmpty()) {
            store(c, predefined(Names.HOST_NETWORK, "host", null, List.of()));
        }
        if (NetworkStore.byName(c, Names.NONE_NETWORK).isEmpty()) {
            store(c, predefined(Names.NONE_NETWORK, "null", null, List.of()));
        }
    }

    public Network create(Connection c, NetworkSpec spec) throws SQLException {
        NetworkRequest req = NetworkRequest.check(spec);
        String id = Ids.newId();
        String scope = "overlay".equals(req.driver()) ? Network.GLOBAL : Network.LOCAL;
        lockPools(c, scope);
        if (NetworkStore.byName(c, req.name()).isPresent()) {
            throw IpamException.conflict("network with name " + req.name() + " already exists");
        }
        List<Subnet> subnets = req.subnets().isEmpty() ? List.of(autoSubnet(c, scope)) : req.subnets();
        List<Cidr> held = NetworkStore.subnetsIn(c, scope);
        for (Subnet s : req.subnets()) {
            if (held.stream().anyMatch(h -> h.overlaps(s.subnet()))) {
                throw IpamException.forbidden(NetworkRequest.POOL_OVERLAP);
            }
        }
        String bridgeName = req.bridgeName() != null ? req.bridgeName() : Names.bridgeDevice(id);
        Network n = new Network(id, req.name(), req.driver(), scope, req.internal(), req.attachable(), false, false,
                req.options(), req.labels(), bridgeName, req.mtu(), req.enableIcc(), Instant.now(), 1, subnets);
        return store(c, n);
    }

    /**
     * Completes or renames a network (see {@link NetworkPatch}). The name may change at any time;
     * driver, internal, gateway, auxiliary addresses and options only while no endpoint is on it,
     * as they decide what every endpoint was given.
     */
    public Network update(Connection c, String ref, NetworkPatch patch) throws SQLException {
        if (patch == null) {
            throw IpamException.badRequest("the body must say what changes: name, driver, internal, gateway,"
                    + " auxAddresses or options");
        }
        Network n = find(c, ref);
        if (!n.userDefined()) {
            throw IpamException.forbidden(n.name() + " is a pre-defined network and cannot be changed");
        }
        if (patch.changesDefinition() && !EndpointStore.ofNetwork(c, n.id()).isEmpty()) {
            throw IpamException.conflict("network " + n.name() + " has active endpoints: only its name can change now");
        }
        if (patch.changesDefinition() && n.subnets().size() != 1) {
            throw IpamException.badRequest("network " + n.name() + " has " + n.subnets().size()
                    + " subnets: only a network of one subnet can be changed");
        }
        List<IpamConfig> ipam = n.subnets().stream().map(s -> new IpamConfig(s.subnet().toString(),
                s.ipRange() == null ? null : s.ipRange().toString(),
                patch.gateway() != null ? patch.gateway() : s.gatewayConfigured() ? s.gatewayText() : null,
                patch.auxAddresses() != null ? patch.auxAddresses() : s.auxAddresses())).toList();
        NetworkRequest req = NetworkRequest.check(new NetworkSpec(patch.name() != null ? patch.name() : n.name(),
                patch.driver() != null ? patch.driver() : n.driver(), ipam,
                patch.internal() != null ? patch.internal() : n.internal(), n.attachable(), false,
                patch.options() != null ? patch.options() : n.options(), n.labels()));
        String scope = "overlay".equals(req.driver()) ? Network.GLOBAL : Network.LOCAL;
        lockPools(c, n.scope());
        lockPools(c, scope);
        if (!req.name().equals(n.name()) && NetworkStore.byName(c, req.name()).isPresent()) {
            throw IpamException.conflict("network with name " + req.name() + " already exists");
        }
        List<Subnet> subnets = new ArrayList<>();
        for (int i = 0; i < n.subnets().size(); i++) {
            Subnet was = n.subnets().get(i);
            Subnet now = req.subnets().get(i);
            subnets.add(new Subnet(now.subnet(), now.ipRange(), now.gateway(), now.auxAddresses(),
                    was.userConfigured(), now.gatewayConfigured()));
        }
        Network updated = new Network(n.id(), req.name(), req.driver(), scope, req.internal(), req.attachable(),
                false, false, req.options(), req.labels(), req.bridgeName() != null ? req.bridgeName() : n.bridgeName(),
                req.mtu(), req.enableIcc(), n.created(), n.revision() + 1, subnets);
        if (patch.changesDefinition()) {
            NetworkStore.delete(c, n.id()); // no endpoint holds an address in it (checked above)
            return store(c, updated);
        }
        NetworkStore.rename(c, updated);
        events.append(c, EventFactory.created(updated));
        return updated;
    }

    /** The local netplane_gwbridge network overlay containers leave through; made on first need. */
    public Network gatewayBridge(Connection c) throws SQLException {
        lockPools(c, Network.LOCAL);
        Optional<Network> existing = NetworkStore.byName(c, Names.GATEWAY_BRIDGE_NETWORK);
        if (existing.isPresent()) {
            return existing.get();
        }
        Network n = new Network(Ids.newId(), Names.GATEWAY_BRIDGE_NETWORK, "bridge", Network.LOCAL, false, false,
                false, false, Map.of(NetworkRequest.OPT_ICC, "false", NetworkRequest.OPT_BRIDGE_NAME,
                        Names.GATEWAY_BRIDGE_DEVICE), Map.of(), Names.GATEWAY_BRIDGE_DEVICE, 1500, false,
                Instant.now(), 1, List.of(autoSubnet(c, Network.LOCAL)));
        return store(c, n);
    }

    public Network remove(Connection c, String ref) throws SQLException {
        Network n = find(c, ref);
        if (n.predefined()) {
            throw IpamException.forbidden(n.name() + " is a pre-defined network and cannot be removed");
        }
        if (!EndpointStore.ofNetwork(c, n.id()).isEmpty()) {
            throw IpamException.forbidden("error while removing network: network " + n.name() + " id " + n.id()
                    + " has active endpoints");
        }
        NetworkStore.delete(c, n.id());
        events.append(c, EventFactory.removed(n));
        return n;
    }

    /** Removes every user-defined network without endpoints; returns their names. */
    public List<String> prune(Connection c) throws SQLException {
        List<String> removed = new ArrayList<>();
        for (Network n : NetworkStore.all(c)) {
            if (!n.predefined() && EndpointStore.ofNetwork(c, n.id()).isEmpty()) {
                NetworkStore.delete(c, n.id());
                events.append(c, EventFactory.removed(n));
                removed.add(n.name());
            }
        }
        return removed;
    }

    public static Network find(Connection c, String ref) throws SQLException {
        return NetworkStore.find(c, ref).orElseThrow(() -> IpamException.notFound("network " + ref + " not found"));
    }

    private Network store(Connection c, Network n) throws SQLException {
        try {
            NetworkStore.insert(c, n);
        } catch (SQLException e) {
            if ("23P01".equals(Sql.state(e))) {
                throw IpamException.forbidden(NetworkRequest.POOL_OVERLAP);
            }
            if ("23505".equals(Sql.state(e))) {
                throw IpamException.conflict("network with name " + n.name() + " already exists");
            }
            throw e;
        }
        events.append(c, EventFactory.created(n));
        return n;
    }

    private Subnet autoSubnet(Connection c, String scope) throws SQLException {
        List<Cidr> held = NetworkStore.subnetsIn(c, scope);
        DefaultPools pools = Network.GLOBAL.equals(scope) ? globalPools : localPools;
        Cidr block = pools.firstFree(candidate -> held.stream().anyMatch(h -> h.overlaps(candidate)))
                .orElseThrow(() -> IpamException.forbidden("could not find an available, non-overlapping IPv4 address pool among "
                        + "the defaults to assign to the network"));
        return new Subnet(block, null, block.firstUsable(), Map.of(), false, false);
    }

    private static Network predefined(String name, String driver, String bridgeName, List<Subnet> subnets) {
        return new Network(Ids.newId(), name, driver, Network.LOCAL, false, false, false, true, Map.of(), Map.of(),
                bridgeName, 1500, true, Instant.now(), 1, subnets);
    }

    /** Serialises subnet choice in one address space across all service processes. */
    private static void lockPools(Connection c, String scope) throws SQLException {
        Sql.one(c, "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", rs -> 1, "ipam-pools/" + scope);
    }
}
