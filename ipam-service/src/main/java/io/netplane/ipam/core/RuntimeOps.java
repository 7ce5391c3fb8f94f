package io.netplane.ipam.core;

import io.netplane.events.Names;
import io.netplane.events.model.PortSpec;
import io.netplane.events.validate.Alias;
import io.netplane.events.validate.ContainerName;
import io.netplane.events.validate.Count;
import io.netplane.events.validate.EngineId;
import io.netplane.events.validate.Hostname;
import io.netplane.ipam.outbox.EventSink;
import io.netplane.ipam.store.ContainerStore;
import io.netplane.ipam.store.EndpointStore;
import io.netplane.ipam.store.NetworkStore;
import io.netplane.ipam.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Endpoints whose sandbox a container runtime owns (sandbox {@value Names#RUNTIME_SANDBOX}).
 * Docker asks netplane's plugin for an address before it says which container it is for, so the
 * address is first held by a placeholder container; once the engine names the container, the
 * endpoint moves to a container with Docker's id and name, and takes Docker's DNS names.
 */
public final class RuntimeOps {

    private final EventSink events;
    private final PortReservations ports;

    public RuntimeOps(EventSink events, PortReservations ports) {
        this.events = events;
        this.ports = ports;
    }

    /** Moves endpoint {@code endpointId} to the runtime's container {@code owner}; the same call twice changes nothing. */
    public Endpoint adopt(Connection c, String endpointId, RuntimeContainer owner) throws SQLException {
        check(owner);
        Endpoint e = endpoint(c, endpointId);
        Container holder = ContainerStore.byId(c, e.containerId()).orElseThrow();
        requireRuntime(holder);
        Network n = NetworkStore.byId(c, e.networkId()).orElseThrow();
        Container k = ContainerStore.byId(c, owner.id()).orElse(null);
        if (k == null) {
            k = new Container(owner.id(), owner.name(), hostname(owner), holder.hostId(), holder.sandbox(), null,
                    "default", holder.ports(), holder.exposedPorts(), holder.publishAllPorts(), Instant.now(), 1);
            insert(c, k);
            events.append(c, EventFactory.created(k));
        } else if (!k.hostId().equals(holder.hostId()) || !Names.RUNTIME_SANDBOX.equals(k.sandbox())) {
            throw IpamException.conflict("container " + owner.id() + " is known on host " + k.hostId()
                    + ", not as a container of the engine on " + holder.hostId());
        }
        List<Endpoint> others = EndpointStore.ofContainer(c, k.id()).stream().filter(x -> !x.id().equals(e.id())).toList();
        String iface = e.containerId().equals(k.id()) ? e.interfaceName() : EndpointOps.interfaceName(others);
        boolean gateway = e.gatewayEndpoint() && others.stream().noneMatch(Endpoint::gatewayEndpoint);
        Endpoint moved = new Endpoint(e.id(), k.id(), e.networkId(), e.hostScope(), k.name(), iface, e.macAddress(),
                e.ipv4(), owner.aliases(), e.links(), EndpointOps.dnsNames(k, n, owner.aliases()), gateway,
                e.gatewayBridge(), e.revision() + 1, null, null, null);
        if (moved.equals(withoutStatus(e))) {
            return e;
        }
        try {
            EndpointStore.update(c, moved);
        } catch (SQLException ex) {
            if ("23505".equals(Sql.state(ex))) {
                throw IpamException.conflict("endpoint with name " + k.name() + " already exists in network " + n.name());
            }
            throw ex;
        }
        events.append(c, EventFactory.allocated(moved, k, n));
        if (!holder.id().equals(k.id()) && EndpointStore.ofContainer(c, holder.id()).isEmpty()) {
            ContainerStore.delete(c, holder.id());
            events.append(c, EventFactory.removed(holder));
        }
        return moved;
    }

    /**
     * Publishes {@code published} through endpoint {@code endpointId} (Docker's
     * ProgramExternalConnectivity; an empty list revokes): booked with nat-service before commit.
     */
    public Container publish(Connection c, String endpointId, List<PortSpec> published, List<String> exposed)
            throws SQLException {
        Count.atMost(published, Count.MAX_PORTS, "published ports");
        published.forEach(ContainerRequest::checkPort);
        Count.atMost(exposed, Count.MAX_PORTS, "exposed ports");
        exposed.forEach(ContainerRequest::checkExposed);
        Endpoint e = endpoint(c, endpointId);
        Container k = ContainerStore.byId(c, e.containerId()).orElseThrow();
        requireRuntime(k);
        if (k.ports().equals(published) && k.exposedPorts().equals(exposed)) {
            return k;
        }
        Container updated = new Container(k.id(), k.name(), k.hostname(), k.hostId(), k.sandbox(), k.sandboxName(),
                k.networkMode(), List.copyOf(published), List.copyOf(exposed), false, k.created(), k.revision() + 1);
        ContainerStore.setPorts(c, updated);
        Endpoint carrier = EndpointStore.bumpRevision(c, e.id());
        if (!EndpointOps.internal(c, carrier)) {
            ports.reserve(updated, carrier); // Docker publishes nothing on an internal network
        }
        events.append(c, EventFactory.allocated(carrier, updated, NetworkStore.byId(c, e.networkId()).orElseThrow()));
        return updated;
    }

    private static void check(RuntimeContainer owner) {
        if (owner == null) {
            throw IpamException.badRequest("the body must name the engine's container: \"id\" and \"name\"");
        }
        EngineId.check(owner.id(), "container");
        ContainerName.check(owner.name());
        if (owner.hostname() != null && !owner.hostname().isEmpty()) {
            Hostname.check(owner.hostname());
        }
        Count.atMost(owner.aliases(), Count.MAX_ALIASES, "aliases");
        owner.aliases().forEach(a -> Alias.check(a, "alias"));
    }

    private static String hostname(RuntimeContainer owner) {
        return owner.hostname() == null || owner.hostname().isEmpty() ? owner.id().substring(0, 12) : owner.hostname();
    }

    private static Endpoint endpoint(Connection c, String id) throws SQLException {
        return EndpointStore.byId(c, id).orElseThrow(() -> IpamException.notFound("endpoint " + id + " not found"));
    }

    private static void requireRuntime(Container k) {
        if (!Names.RUNTIME_SANDBOX.equals(k.sandbox())) {
            throw IpamException.forbidden("container " + k.name() + " is netplane's own, not a container engine's:"
                    + " use /v1/containers to change it");
        }
    }

    private static void insert(Connection c, Container k) throws SQLException {
        try {
            ContainerStore.insert(c, k);
        } catch (SQLException ex) {
            if ("23505".equals(Sql.state(ex))) {
                throw IpamException.conflict("Conflict. The container name \"/" + k.name()
                        + "\" is already in use on host " + k.hostId());
            }
            throw ex;
        }
    }

    private static Endpoint withoutStatus(Endpoint e) {
        return new Endpoint(e.id(), e.containerId(), e.networkId(), e.hostScope(), e.name(), e.interfaceName(),
                e.macAddress(), e.ipv4(), e.aliases(), e.links(), e.dnsNames(), e.gatewayEndpoint(), e.gatewayBridge(),
                e.revision() + 1, null, null, null);
    }
}
