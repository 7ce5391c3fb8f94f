package io.netplane.ipam.core;

import io.netplane.events.Names;
import io.netplane.events.model.EndpointSpec;
import io.netplane.events.model.Link;
import io.netplane.events.model.LinkSpec;
import io.netplane.ipam.address.Ipv4;
import io.netplane.ipam.outbox.EventSink;
import io.netplane.ipam.store.ContainerStore;
import io.netplane.ipam.store.EndpointStore;
import io.netplane.ipam.store.NetworkStore;
import io.netplane.ipam.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Attaching containers to networks (address, MAC, interface, names, links) and detaching them. */
public final class EndpointOps {

    static final String CONFLICT_HOST_NETWORK =
            "container cannot be disconnected from host network or connected to host network";
    static final String CONFLICT_SHARED_NETWORK =
            "container sharing network namespace with another container or host cannot be connected to any other network";
    static final String CONFLICT_NO_NETWORK =
            "container cannot be connected to multiple networks with one of the networks in private (none) mode";

    private final NetworkOps networks;
    private final EventSink events;
    private final AddressSpaces spaces = new AddressSpaces();

    public EndpointOps(NetworkOps networks, EventSink events) {
        this.networks = networks;
        this.events = events;
    }

    /** Connects {@code k} to the network {@code spec} names; an overlay network brings netplane_gwbridge along. */
    public Endpoint connect(Connection c, Container k, EndpointSpec spec) throws SQLException {
        return connect(c, k, NetworkOps.find(c, networkRef(spec)), spec);
    }

    /** The network {@code spec} names when none is given: the default bridge. */
    public static String networkRef(EndpointSpec spec) {
        return spec.network() == null ? Names.BRIDGE_NETWORK : spec.network();
    }

    /** {@link #connect(Connection, Container, EndpointSpec)} with the network already looked up. */
    public Endpoint connect(Connection c, Container k, Network n, EndpointSpec spec) throws SQLException {
        List<Endpoint> existing = EndpointStore.ofContainer(c, k.id());
        if ("null".equals(n.driver()) && existing.isEmpty() && "default".equals(k.networkMode())) {
            ContainerStore.setNetworkMode(c, k.id(), "none"); // a container on no network may go back to none
            return attachMode(c, k, n, spec);
        }
        checkMode(k, n);
        Optional<Endpoint> route = existing.stream().filter(Endpoint::gatewayEndpoint).findFirst();
        boolean routesOut = route.isPresent() && !internal(c, route.get());
        boolean takesRoute = givesRoute(k, n) && (route.isEmpty() || !routesOut && !n.internal());
        if (takesRoute && route.isPresent()) {
            dropRoute(c, k, route.get());
        }
        Endpoint e = attach(c, k, n, spec, existing, takesRoute, false);
        // a runtime's container leaves through the route its engine sets (the plugin's Join answer)
        if ("overlay".equals(n.driver()) && !n.internal() && !routesOut
                && !Names.RUNTIME_SANDBOX.equals(k.sandbox())
                && existing.stream().noneMatch(Endpoint::gatewayBridge)) {
            if (route.isPresent() && !takesRoute) {
                dropRoute(c, k, route.get()); // the gateway bridge's way out takes over from an internal network
            }
            Network gw = networks.gatewayBridge(c);
            attach(c, k, gw, new EndpointSpec(gw.name(), List.of(), null, List.of()),
                    EndpointStore.ofContainer(c, k.id()), true, true);
        }
        return e;
    }

    /**
     * Whether an endpoint on {@code n} can give {@code k} its default route: a bridge network's,
     * internal ones included (Docker's bridge driver routes them via their gateway; the firewall
     * closes their way out); for a runtime's container, which gets no gateway bridge (its engine
     * routes through the plugin's Join answer), a non-internal overlay network's too. Only a
     * non-internal one is the way out and publishes ports ({@link #publishes}). As in Docker, a
     * non-internal network takes the route over from an internal one.
     */
    private static boolean givesRoute(Container k, Network n) {
        boolean overlayOfRuntime = "overlay".equals(n.driver()) && Names.RUNTIME_SANDBOX.equals(k.sandbox());
        return "bridge".equals(n.driver()) || overlayOfRuntime && !n.internal();
    }

    /** Whether {@code e} is its container's way out: the default route, on a network that is not internal. */
    public static boolean publishes(Connection c, Endpoint e) throws SQLException {
        return e.gatewayEndpoint() && !internal(c, e);
    }

    static boolean internal(Connection c, Endpoint e) throws SQLException {
        return NetworkStore.byId(c, e.networkId()).map(Network::internal).orElse(false);
    }

    /** {@code route} no longer gives its container the default route; its agent hears so. */
    private void dropRoute(Connection c, Container k, Endpoint route) throws SQLException {
        EndpointStore.setGatewayEndpoint(c, route.id(), false);
        Endpoint updated = EndpointStore.byId(c, route.id()).orElseThrow();
        events.append(c, EventFactory.allocated(updated, k, NetworkStore.byId(c, route.networkId()).orElseThrow()));
    }

    /**
     * Detaches {@code k} from a network and frees its address. When that endpoint gave the default
     * route another one takes over; when the last overlay endpoint goes, the gateway bridge goes too.
     */
    public Endpoint disconnect(Connection c, Container k, String networkRef) throws SQLException {
        return disconnect(c, k, NetworkOps.find(c, networkRef));
    }

    /** {@link #disconnect(Connection, Container, String)} with the network already looked up. */
    public Endpoint disconnect(Connection c, Container k, Network n) throws SQLException {
        if ("host".equals(k.networkMode())) {
            throw IpamException.forbidden(CONFLICT_HOST_NETWORK);
        }
        Endpoint e = EndpointStore.ofContainer(c, k.id()).stream().filter(x -> x.networkId().equals(n.id()))
                .findFirst().orElseThrow(() -> IpamException.forbidden(
                        "container " + k.id() + " is not connected to network " + n.name()));
        release(c, k, e, n);
        if ("none".equals(k.networkMode())) {
            // as in Docker, a container taken off "none" has no network and may then join any
            ContainerStore.setNetworkMode(c, k.id(), "default");
            return e;
        }
        boolean overlayGone = "overlay".equals(n.driver());
        if (!overlayGone && !e.gatewayEndpoint()) {
            return e; // neither the gateway bridge nor the default route can have changed
        }
        List<Endpoint> left = EndpointStore.ofContainer(c, k.id());
        for (Endpoint other : left) {
            overlayGone &= !"overlay".equals(NetworkStore.byId(c, other.networkId()).orElseThrow().driver());
        }
        if (overlayGone) {
            for (Endpoint gw : left.stream().filter(Endpoint::gatewayBridge).toList()) {
                release(c, k, gw);
            }
            left = EndpointStore.ofContainer(c, k.id());
        }
        if (e.gatewayEndpoint() && left.stream().noneMatch(Endpoint::gatewayEndpoint)) {
            handRouteOver(c, k, left);
        }
        return e;
    }

    /** The first endpoint that can give {@code k} its default route takes it: a way out before an internal network. */
    private void handRouteOver(Connection c, Container k, List<Endpoint> left) throws SQLException {
        for (boolean internalNetworks : new boolean[] {false, true}) {
            for (Endpoint candidate : left) {
                Network cn = NetworkStore.byId(c, candidate.networkId()).orElseThrow();
                if (cn.internal() == internalNetworks && givesRoute(k, cn)) {
                    EndpointStore.setGatewayEndpoint(c, candidate.id(), true);
                    Endpoint updated = EndpointStore.byId(c, candidate.id()).orElseThrow();
                    events.append(c, EventFactory.allocated(updated, k, cn));
                    return;
                }
            }
        }
    }

    /**
     * The one endpoint of a host- or none-mode container: no address, no MAC, no interface of its
     * own; aliases and an address in {@code spec} are refused as Docker refuses them there.
     */
    public Endpoint attachMode(Connection c, Container k, Network n, EndpointSpec spec) throws SQLException {
        return attach(c, k, n, spec, List.of(), false, false);
    }

    /** Frees one endpoint and publishes its release. */
    public void release(Connection c, Container k, Endpoint e) throws SQLException {
        release(c, k, e, e.ipv4() == null ? null : NetworkStore.byId(c, e.networkId()).orElseThrow());
    }

    private void release(Connection c, Container k, Endpoint e, Network n) throws SQLException {
        AddressSpaces.Space space = e.ipv4() == null ? null : spaces.lock(c, n, e.hostScope());
        EndpointStore.delete(c, e.id());
        if (space != null) {
            space.free(n, e.ipv4());
        }
        events.append(c, EventFactory.released(e, k));
    }

    private Endpoint attach(Connection c, Container k, Network n, EndpointSpec spec, List<Endpoint> existing,
            boolean gatewayEndpoint, boolean gatewayBridge) throws SQLException {
        if (!n.userDefined() && !spec.aliases().isEmpty()) {
            throw IpamException.badRequest("network-scoped alias is supported only for containers in user defined networks");
        }
        if (!n.userDefined() && spec.ipv4Address() != null && !spec.ipv4Address().isBlank()) {
            throw IpamException.badRequest("user specified IP address is supported on user defined networks only");
        }
        String scope = n.hostScope(k.hostId());
        AddressSpaces.Space space = spaces.lock(c, n, scope);
        // a name another container holds here is refused by endpoint_name_unique_per_network (below)
        if (existing.stream().anyMatch(x -> x.networkId().equals(n.id()))) {
            throw IpamException.forbidden("endpoint with name " + k.name() + " already exists in network " + n.name());
        }
        Long ip = n.hasAddresses() ? address(space, n, spec.ipv4Address()) : null;
        String iface = n.hasAddresses() ? interfaceName(existing, spec.interfaceName()) : null;
        String mac = ip == null ? null : given(spec.macAddress()) ? spec.macAddress().toLowerCase(Locale.ROOT) : Ipv4.mac(ip);
        Endpoint e = new Endpoint(Ids.newId(), k.id(), n.id(), scope, k.name(), iface, mac,
                ip, spec.aliases(), links(c, k, n, spec.links()), dnsNames(k, n, spec.aliases()), gatewayEndpoint,
                gatewayBridge, 1, null, null, null);
        try {
            EndpointStore.insert(c, e);
        } catch (SQLException ex) {
            if ("23505".equals(Sql.state(ex))) {
                throw IpamException.forbidden("endpoint with name " + k.name() + " already exists in network " + n.name());
            }
            throw ex;
        }
        if (ip != null) {
            space.take(n, ip); // only now: a change refused above leaves the space as it was
        }
        events.append(c, EventFactory.allocated(e, k, n));
        return e;
    }

    /** Docker 20.10's order (daemon updateNetworkSettings): the host namespace first, then "none". */
    private static void checkMode(Container k, Network n) {
        if ("host".equals(k.networkMode()) || "host".equals(n.driver())) {
            throw IpamException.forbidden(CONFLICT_SHARED_NETWORK);
        }
        if ("none".equals(k.networkMode()) || "null".equals(n.driver())) {
            throw IpamException.forbidden(CONFLICT_NO_NETWORK);
        }
    }

    /** The address to give: the one requested if free, else the lowest free one; not yet taken in {@code space}. */
    private static long address(AddressSpaces.Space space, Network n, String requested) {
        if (requested != null && !requested.isBlank()) {
            long ip = Ipv4.parse(requested); // ContainerRequest.checkEndpoint refused any other text
            Subnet s = n.subnets().stream().filter(x -> x.subnet().contains(ip)).findFirst()
                    .orElseThrow(() -> IpamException.badRequest("Invalid address " + requested
                            + ": It does not belong to any of this network's subnets"));
            boolean edge = s.subnet().prefix() < 31 && (ip == s.subnet().first() || ip == s.subnet().last());
            if (edge || s.reserved().contains(ip) || space.held(s, ip)) {
                throw IpamException.forbidden("Address already in use");
            }
            return ip;
        }
        for (Subnet s : n.subnets()) {
            Optional<Long> free = space.lowestFree(s);
            if (free.isPresent()) {
                return free.get();
            }
        }
        throw IpamException.forbidden("no available IPv4 addresses on this network's address pools: " + n.name()
                + " (" + n.id() + ")");
    }

    private static boolean given(String value) {
        return value != null && !value.isEmpty();
    }

    /** The name the request gave (CNI_IFNAME), which none of the container's endpoints may use already. */
    private static String interfaceName(List<Endpoint> existing, String requested) {
        if (!given(requested)) {
            return interfaceName(existing);
        }
        if (existing.stream().anyMatch(e -> requested.equals(e.interfaceName()))) {
            throw IpamException.conflict("interface " + requested + " is in use by another of the container's"
                    + " endpoints: give another interface name");
        }
        return requested;
    }

    /** eth0, eth1, ... : the lowest index none of the container's endpoints uses. */
    static String interfaceName(List<Endpoint> existing) {
        Set<String> used = new java.util.HashSet<>();
        existing.forEach(e -> used.add(e.interfaceName()));
        for (int i = 0;; i++) {
            if (!used.contains("eth" + i)) {
                return "eth" + i;
            }
        }
    }

    /** Docker's order: container name, aliases, short id, hostname; none on networks without name service. */
    static List<String> dnsNames(Container k, Network n, List<String> aliases) {
        if (!n.userDefined()) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        names.add(k.name());
        names.addAll(aliases);
        names.add(Names.shortId(k.id()));
        if (k.hostname() != null && !k.hostname().isBlank()) {
            names.add(k.hostname());
        }
        return List.copyOf(names);
    }

    /** Resolves {@code --link name:alias} to the target's address on this network. */
    private static List<Link> links(Connection c, Container k, Network n, List<LinkSpec> specs) throws SQLException {
        List<Link> links = new ArrayList<>();
        for (LinkSpec spec : specs) {
            List<Container> targets = ContainerStore.find(c, spec.name(), k.hostId());
            if (targets.size() != 1) {
                throw IpamException.badRequest("could not get container for " + spec.name() + ": No such container: "
                        + spec.name());
            }
            Container target = targets.get(0);
            Endpoint te = EndpointStore.ofContainer(c, target.id()).stream()
                    .filter(x -> x.networkId().equals(n.id()) && x.ipv4() != null).findFirst()
                    .orElseThrow(() -> IpamException.badRequest("Cannot link to /" + target.name()
                            + ", as it does not belong to the " + (n.predefined() ? "default network" : "network " + n.name())));
            String alias = spec.alias() == null || spec.alias().isEmpty() ? target.name() : spec.alias();
            links.add(new Link(target.name(), alias, target.id(), target.hostname(), Ipv4.format(te.ipv4())));
        }
        return links;
    }
}
