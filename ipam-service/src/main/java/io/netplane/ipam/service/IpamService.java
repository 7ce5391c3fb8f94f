package io.netplane.ipam.service;

import io.netplane.events.model.ContainerSpec;
import io.netplane.events.model.EndpointSpec;
import io.netplane.events.model.NetworkSpec;
import io.netplane.events.model.PortSpec;
import io.netplane.ipam.api.Views;
import io.netplane.ipam.api.Views.ContainerView;
import io.netplane.ipam.api.Views.EndpointView;
import io.netplane.ipam.api.Views.NetworkView;
import io.netplane.ipam.core.Attachments;
import io.netplane.ipam.core.DatabaseFailure;
import io.netplane.ipam.core.Container;
import io.netplane.ipam.core.ContainerOps;
import io.netplane.ipam.core.ContainerRequest;
import io.netplane.ipam.core.Endpoint;
import io.netplane.ipam.core.Ipam;
import io.netplane.ipam.core.IpamException;
import io.netplane.ipam.core.Network;
import io.netplane.ipam.core.NetworkOps;
import io.netplane.ipam.core.NetworkPatch;
import io.netplane.ipam.core.RuntimeContainer;
import io.netplane.ipam.store.ContainerStore;
import io.netplane.ipam.store.EndpointStore;
import io.netplane.ipam.store.NetworkStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The service's operations, each one JTA transaction: the change and its outbox rows commit
 * together or not at all.
 */
@ApplicationScoped
public class IpamService {

    /** A network with the endpoints attached to it (on every host). */
    public record NetworkDetails(Network network, List<EndpointView> endpoints) {
    }

    @Inject
    DataSource dataSource;

    @Inject
    IpamWiring wiring;

    @Inject
    PoolMetrics pools;

    /** After messaging's Outbox (default priority) has made its table: the predefined networks publish. */
    void onStart(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        QuarkusTransaction.requiringNew().run(() -> work(c -> {
            wiring.ipam().networks().ensurePredefined(c);
            return null;
        }));
    }

    @Transactional
    public NetworkView createNetwork(NetworkSpec spec) {
        return Views.of(work(c -> wiring.ipam().networks().create(c, spec)));
    }

    @Transactional
    public NetworkView updateNetwork(String ref, NetworkPatch patch) {
        return Views.of(work(c -> wiring.ipam().networks().update(c, ref, patch)));
    }

    @Transactional
    public Network removeNetwork(String ref) {
        return work(c -> wiring.ipam().networks().remove(c, ref));
    }

    @Transactional
    public List<String> pruneNetworks() {
        return work(c -> wiring.ipam().networks().prune(c));
    }

    @Transactional
    public List<NetworkDetails> networks() {
        return work(c -> {
            Map<String, List<EndpointView>> byNetwork = new HashMap<>();
            for (EndpointView e : endpointViews(c)) {
                byNetwork.computeIfAbsent(e.networkId(), k -> new java.util.ArrayList<>()).add(e);
            }
            return NetworkStore.all(c).stream()
                    .map(n -> new NetworkDetails(n, byNetwork.getOrDefault(n.id(), List.of()))).toList();
        });
    }

    /** A network by id, name or id prefix, without its endpoints (404 in Docker's words if none). */
    @Transactional
    public Network findNetwork(String ref) {
        return work(c -> NetworkOps.find(c, ref));
    }

    @Transactional
    public NetworkDetails network(String ref) {
        return work(c -> {
            Network n = NetworkOps.find(c, ref);
            List<EndpointView> views = new java.util.ArrayList<>();
            for (Endpoint e : EndpointStore.ofNetwork(c, n.id())) {
                views.add(Views.of(e, ContainerStore.byId(c, e.containerId()).orElseThrow(), n));
            }
            return new NetworkDetails(n, views);
        });
    }

    @Transactional
    public ContainerView createContainer(ContainerSpec spec) {
        return work(c -> {
            Container k = wiring.ipam().containers().create(c, spec);
            return containerView(c, k).withWarnings(ContainerOps.warnings(k, spec));
        });
    }

    @Transactional
    public ContainerView removeContainer(String ref, String hostId) {
        return work(c -> {
            ContainerView before = containerView(c, ContainerOps.find(c, ref, hostId));
            wiring.ipam().containers().remove(c, ref, hostId);
            return before;
        });
    }

    @Transactional
    public List<ContainerView> containers() {
        return work(c -> {
            List<ContainerView> out = new java.util.ArrayList<>();
            for (Container k : ContainerStore.all(c)) {
                out.add(containerView(c, k));
            }
            return out;
        });
    }

    @Transactional
    public ContainerView container(String ref, String hostId) {
        return work(c -> containerView(c, ContainerOps.find(c, ref, hostId)));
    }

    /**
     * Inside a caller's transaction (a command that must commit with its change) the connect joins
     * it; otherwise it is group-committed with concurrent connects to the same address space.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public EndpointView connect(String containerRef, String hostId, EndpointSpec spec) {
        ContainerRequest.checkEndpoint(spec);
        if (QuarkusTransaction.isActive()) {
            return work(c -> {
                Container k = ContainerOps.find(c, containerRef, hostId);
                Endpoint e = wiring.ipam().endpoints().connect(c, k, spec);
                return Views.of(e, k, NetworkStore.byId(c, e.networkId()).orElseThrow());
            });
        }
        Attachments.Attached a = unchecked(() -> wiring.attachments().connect(containerRef, hostId, spec));
        return Views.of(a.endpoint(), a.container(), a.network());
    }

    /** Like {@link #connect}: joins the caller's transaction, else group-committed. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public void disconnect(String containerRef, String hostId, String networkRef) {
        if (QuarkusTransaction.isActive()) {
            work(c -> wiring.ipam().endpoints().disconnect(c, ContainerOps.find(c, containerRef, hostId), networkRef));
            return;
        }
        unchecked(() -> {
            wiring.attachments().disconnect(containerRef, hostId, networkRef);
            return null;
        });
    }

    @Transactional
    public List<EndpointView> endpoints() {
        return work(this::endpointViews);
    }

    @Transactional
    public EndpointView endpoint(String id) {
        return work(c -> {
            Endpoint e = EndpointStore.byId(c, id)
                    .orElseThrow(() -> IpamException.notFound("endpoint " + id + " not found"));
            return Views.of(e, ContainerStore.byId(c, e.containerId()).orElseThrow(),
                    NetworkStore.byId(c, e.networkId()).orElseThrow());
        });
    }

    /** The engine's container now holds the endpoint its plugin asked an address for (see RuntimeOps). */
    @Transactional
    public EndpointView adoptEndpoint(String endpointId, RuntimeContainer owner) {
        return work(c -> {
            Endpoint e = wiring.ipam().runtime().adopt(c, endpointId, owner);
            return Views.of(e, ContainerStore.byId(c, e.containerId()).orElseThrow(),
                    NetworkStore.byId(c, e.networkId()).orElseThrow());
        });
    }

    /** The ports an engine publishes through one of its endpoints, booked with nat-service before commit. */
    @Transactional
    public ContainerView publishPorts(String endpointId, List<PortSpec> ports, List<String> exposed) {
        return work(c -> containerView(c, wiring.ipam().runtime().publish(c, endpointId, ports, exposed)));
    }

    /** Records a host agent's report on an endpoint; stale or unknown reports change nothing. */
    @Transactional
    public boolean recordStatus(String endpointId, long endpointRevision, String state, String error) {
        return work(c -> EndpointStore.recordStatus(c, endpointId, endpointRevision, state, error));
    }

    private List<EndpointView> endpointViews(Connection c) throws SQLException {
        Map<String, Network> networks = new HashMap<>();
        NetworkStore.all(c).forEach(n -> networks.put(n.id(), n));
        Map<String, Container> containers = new HashMap<>();
        ContainerStore.all(c).forEach(k -> containers.put(k.id(), k));
        return EndpointStore.all(c).stream()
                .map(e -> Views.of(e, containers.get(e.containerId()), networks.get(e.networkId()))).toList();
    }

    private ContainerView containerView(Connection c, Container k) throws SQLException {
        List<EndpointView> views = new java.util.ArrayList<>();
        for (Endpoint e : EndpointStore.ofContainer(c, k.id())) {
            views.add(Views.of(e, k, NetworkStore.byId(c, e.networkId()).orElseThrow()));
        }
        return Views.of(k, views);
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    private <T> T unchecked(SqlCall<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            throw new DatabaseFailure(e);
        } catch (RuntimeException e) {
            pools.refused(e);
            throw DatabaseFailure.of(e); // e.g. a group commit's failure, rethrown to each of its callers
        }
    }

    private <T> T work(Ipam.Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new DatabaseFailure(e);
        } catch (RuntimeException e) {
            pools.refused(e);
            throw DatabaseFailure.of(e);
        }
    }
}
