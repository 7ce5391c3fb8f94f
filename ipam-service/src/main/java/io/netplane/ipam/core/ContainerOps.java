package io.netplane.ipam.core;

import io.netplane.events.Names;
import io.netplane.events.model.ContainerSpec;
import io.netplane.events.model.EndpointSpec;
import io.netplane.ipam.outbox.EventSink;
import io.netplane.ipam.store.ContainerStore;
import io.netplane.ipam.store.EndpointStore;
import io.netplane.ipam.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Creating and removing containers' networking, with all their endpoints, in one transaction. */
public final class ContainerOps {

    public static final String PORTS_DISCARDED = "Published ports are discarded when using host network mode";

    private final EndpointOps endpoints;
    private final EventSink events;
    private final PortReservations ports;

    public ContainerOps(EndpointOps endpoints, EventSink events, PortReservations ports) {
        this.endpoints = endpoints;
        this.events = events;
        this.ports = ports;
    }

    public Container create(Connection c, ContainerSpec spec) throws SQLException {
        ContainerRequest.check(spec);
        List<EndpointSpec> nets = spec.networks().isEmpty()
                ? List.of(new EndpointSpec(Names.BRIDGE_NETWORK, List.of(), null, List.of()))
                : spec.networks();
        Network first = NetworkOps.find(c, nets.get(0).network());
        String mode = switch (first.driver()) {
            case "host" -> "host";
            case "null" -> "none";
            default -> "default";
        };
        if (!"default".equals(mode) && nets.size() > 1) {
            throw IpamException.badRequest("conflicting options: " + mode
                    + " type networking can't be used with multiple networks");
        }
        List<Container> sameName = ContainerStore.find(c, spec.name(), spec.hostId());
        for (Container other : sameName) {
            if (other.name().equals(spec.name()) && other.hostId().equals(spec.hostId())) {
                throw nameInUse(spec.name(), other.id());
            }
        }
        String id = Ids.newId();
        String sandbox = spec.sandbox() == null || spec.sandbox().isEmpty() ? Names.CREATE_SANDBOX
                : spec.sandbox();
        String sandboxName = switch (sandbox) {
            case Names.CREATE_SANDBOX -> Names.sandboxName(spec.hostId(), spec.name());
            case Names.RUNTIME_SANDBOX -> null; // the engine's, known by its own id
            default -> sandbox;
        };
        String hostname = spec.hostname() == null || spec.hostname().isEmpty() ? Names.shortId(id) : spec.hostname();
        boolean host = "host".equals(mode); // the host's own ports: nothing to publish (see warnings)
        Container k = new Container(id, spec.name(), hostname, spec.hostId(), sandbox, sandboxName, mode,
                host ? List.of() : spec.ports(), spec.exposedPorts(),
                !host && Boolean.TRUE.equals(spec.publishAllPorts()), Instant.now(), 1);
        try {
            ContainerStore.insert(c, k);
        } catch (SQLException e) {
            if ("23505".equals(Sql.state(e))) {
                throw nameInUse(spec.name(), "another");
            }
            throw e;
        }
        events.append(c, EventFactory.created(k));
        if ("default".equals(mode)) {
            for (EndpointSpec net : nets) {
                endpoints.connect(c, k, net);
            }
        } else {
            endpoints.attachMode(c, k, first, nets.get(0));
        }
        if (!k.ports().isEmpty() || k.publishAllPorts()) {
            // last, once the gateway endpoint is settled: a refusal rolls all of the above back
            for (Endpoint e : EndpointStore.ofContainer(c, k.id())) {
                if (EndpointOps.publishes(c, e)) {
                    ports.reserve(k, e);
                }
            }
        }
        return k;
    }

    /** What Docker warns about on {@code docker run} with this request, once it is accepted. */
    public static List<String> warnings(Container created, ContainerSpec spec) {
        boolean published = !spec.ports().isEmpty() || Boolean.TRUE.equals(spec.publishAllPorts());
        return "host".equals(created.networkMode()) && published ? List.of(PORTS_DISCARDED) : List.of();
    }

    public Container remove(Connection c, String ref, String hostId) throws SQLException {
        Container k = find(c, ref, hostId);
        for (Endpoint e : EndpointStore.ofContainer(c, k.id())) {
            endpoints.release(c, k, e);
        }
        ContainerStore.delete(c, k.id());
        events.append(c, EventFactory.removed(k));
        return k;
    }

    /** A container by id, id prefix or name (then {@code hostId} tells which, when several hosts use the name). */
    public static Container find(Connection c, String ref, String hostId) throws SQLException {
        List<Container> found = ContainerStore.find(c, ref, hostId == null || hostId.isBlank() ? null : hostId);
        if (found.isEmpty()) {
            throw IpamException.notFound("No such container: " + ref);
        }
        if (found.size() > 1) {
            throw IpamException.conflict("container name " + ref + " is used on several hosts ("
                    + String.join(", ", found.stream().map(Container::hostId).toList())
                    + "): give the host or the container id");
        }
        return found.get(0);
    }

    private static IpamException nameInUse(String name, String holder) {
        return IpamException.conflict("Conflict. The container name \"/" + name + "\" is already in use by container \""
                + holder + "\". You have to remove (or rename) that container to be able to reuse that name.");
    }
}
