package io.netplane.agent.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netplane.agent.ipam.IpamServiceClient;
import io.netplane.agent.ipam.NetplaneApi;
import io.netplane.agent.reconcile.LocalReports;
import io.netplane.agent.socket.Route;
import io.netplane.events.EndpointStatus;
import io.netplane.events.model.EndpointState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * netplane as a CNI network: the calls netplane-cni forwards from the runtime (podman, containerd,
 * CRI-O). The container becomes a netplane container of this host whose sandbox is the runtime's
 * namespace ({@code CNI_NETNS}), named {@code cni-<CNI_CONTAINERID>} so that a DEL finds it with no
 * state of the agent's own; ipam-service gives the address (unique across the cluster) and books
 * the ports with nat-service, and this agent's reconciler makes the veth, addresses, routes, DNAT
 * and DNS stub exactly as for any netplane container. ADD answers once this agent's reconciler
 * reports it applied (told locally, not through Kafka and ipam-service).
 */
public final class CniPlugin {

    private static final Logger LOG = Logger.getLogger(CniPlugin.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** How long ADD waits for this host's agent to apply the endpoint before it gives up and undoes it. */
    static final Duration APPLY_WAIT = Duration.ofSeconds(20);
    static final String NAME_PREFIX = "cni-";

    private final NetplaneApi netplane;
    private final KernelView kernel;
    private final LocalReports reports;
    private final boolean dnsStub;

    /**
     * {@code reports}: this agent's reconciler's reports, which ADD waits on; {@code dnsStub}: this
     * agent runs a DNS stub at 127.0.0.11 in each sandbox (it has dns-service).
     */
    public CniPlugin(NetplaneApi netplane, KernelView kernel, LocalReports reports, boolean dnsStub) {
        this.netplane = netplane;
        this.kernel = kernel;
        this.reports = reports;
        this.dnsStub = dnsStub;
    }

    /** The netplane container of a CNI container id. */
    static String containerName(String containerId) {
        return NAME_PREFIX + containerId;
    }

    /** The local socket's route for {@code /cni/<command>}. */
    public Route route() {
        return new CniRoute(this);
    }

    /** The answer to one forwarded call: a result, or nothing for DEL; throws CniError. */
    ObjectNode answer(CniRequest r) {
        return switch (r.command()) {
            case "ADD" -> add(r);
            case "DEL" -> del(r);
            default -> check(r);
        };
    }

    private ObjectNode add(CniRequest r) {
        String name = containerName(r.containerId());
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("network", r.network());
        endpoint.put("interfaceName", r.ifname());
        endpoint.put("aliases", r.aliases());
        if (r.macAddress() != null) {
            endpoint.put("macAddress", r.macAddress());
        }
        if (r.ipv4Address() != null) {
            endpoint.put("ipv4Address", r.ipv4Address());
        }
        long start = System.nanoTime();
        List<JsonNode> made;
        try {
            made = existingOrConnected(name, r, endpoint).orElseGet(() -> {
                Map<String, Object> container = new LinkedHashMap<>();
                container.put("name", name);
                container.put("sandbox", r.netns());
                container.put("networks", List.of(endpoint));
                container.put("ports", r.portMappings());
                List<JsonNode> endpoints = new ArrayList<>();
                netplane.createContainer(container).path("endpoints").forEach(endpoints::add);
                return endpoints;
            });
        } catch (IpamServiceClient.ServiceError e) {
            throw refused(e, "ADD");
        }
        long created = System.nanoTime();
        awaitApplied(name, r, made);
        long applied = System.nanoTime();
        JsonNode asked = made.stream().filter(e -> r.ifname().equals(e.path("interfaceName").asText())).findFirst()
                .orElseThrow();
        LOG.infof("CNI ADD %s: %s %s on %s in %s", r.containerId(), r.ifname(), asked.path("ipv4Address").asText(),
                r.network(), r.netns());
        List<JsonNode> endpoints = new ArrayList<>(List.of(asked));
        made.stream().filter(e -> e.path("gatewayBridge").asBoolean()).forEach(endpoints::add);
        List<String> ifnames = endpoints.stream().map(e -> e.path("interfaceName").asText()).toList();
        ObjectNode result = CniResult.of(r, endpoints, kernel.routes(r.netns(), ifnames), dnsStub);
        // bench/cni reads these to tell where an ADD's time goes
        LOG.debugf("CNI ADD %s: ipam-service %d us, then applied after %d us, result read in %d us", r.containerId(),
                (created - start) / 1000, (applied - created) / 1000, (System.nanoTime() - applied) / 1000);
        return result;
    }

    /**
     * A second network of the same container (another ADD with another CNI_IFNAME) is a connect;
     * an ADD repeated for a network the container has already answers what it has. Empty: no such
     * container yet.
     */
    private Optional<List<JsonNode>> existingOrConnected(String name, CniRequest r, Map<String, Object> endpoint) {
        Optional<JsonNode> container = netplane.container(name);
        if (container.isEmpty()) {
            return Optional.empty();
        }
        Optional<JsonNode> there = NetplaneApi.endpointOn(container.get(), r.network());
        if (there.isPresent()) {
            if (!r.ifname().equals(there.get().path("interfaceName").asText())) {
                throw new CniError(CniError.REFUSED, "container " + r.containerId() + " is on network " + r.network()
                        + " already, as " + there.get().path("interfaceName").asText() + "; DEL it first");
            }
            return Optional.of(List.of(there.get()));
        }
        return Optional.of(List.of(netplane.connect(name, endpoint)));
    }

    /**
     * Until this agent reports each endpoint applied; a failure, or no report in time, undoes the ADD
     * (the runtime calls DEL after a failed ADD, but nothing should wait for it).
     */
    private void awaitApplied(String name, CniRequest r, List<JsonNode> endpoints) {
        for (JsonNode e : endpoints) {
            Optional<EndpointStatus> report = e.path("applied").asBoolean() ? Optional.empty()
                    : reports.await(e.path("id").asText(), e.path("revision").asLong(), APPLY_WAIT);
            if (e.path("applied").asBoolean() || report.map(s -> s.state() == EndpointState.APPLIED).orElse(false)) {
                continue;
            }
            netplane.releaseEndpoint(name, r.network());
            String why = report.map(s -> " failed: " + s.error()).orElse(" is not applied within "
                    + APPLY_WAIT.toSeconds() + " s");
            throw new CniError(CniError.TRY_AGAIN_LATER, "netplane's agent could not wire the container: endpoint "
                    + e.path("interfaceName").asText() + why + "; nothing is left, try again");
        }
    }

    /** Releases the address and the ports; succeeds when they, the namespace or the network are gone already. */
    private ObjectNode del(CniRequest r) {
        try {
            netplane.releaseEndpoint(containerName(r.containerId()), r.network());
        } catch (IpamServiceClient.ServiceError e) {
            throw refused(e, "DEL");
        }
        LOG.infof("CNI DEL %s: %s on %s", r.containerId(), r.ifname(), r.network());
        return null;
    }

    /** The previous result against netplane's record of the endpoint and against the kernel in the namespace. */
    private ObjectNode check(CniRequest r) {
        if (r.prevResult() == null || !r.prevResult().isObject()) {
            throw new CniError(CniError.INVALID_CONFIG, "CHECK needs prevResult: the result of the container's ADD");
        }
        JsonNode container;
        try {
            container = netplane.container(containerName(r.containerId())).orElseThrow(() -> new CniError(
                    CniError.UNKNOWN_CONTAINER, "netplane has no container " + r.containerId() + " on this host"));
        } catch (IpamServiceClient.ServiceError e) {
            throw refused(e, "CHECK");
        }
        JsonNode endpoint = NetplaneApi.endpointOn(container, r.network()).orElseThrow(() -> new CniError(
                CniError.UNKNOWN_CONTAINER, "container " + r.containerId() + " is not on network " + r.network()));
        CniResult.Expected expected = CniResult.expected(r.prevResult(), r.ifname());
        if (!expected.addresses().contains(endpoint.path("ipv4Address").asText())) {
            throw new CniError(CniError.CHECK_FAILED, "netplane gave container " + r.containerId() + " address "
                    + endpoint.path("ipv4Address").asText() + ", not " + expected.addresses());
        }
        kernel.check(r.netns(), r.ifname(), expected);
        return null;
    }

    /** ipam-service's refusal in CNI's words: its own message, a code saying whether trying again may help. */
    static CniError refused(IpamServiceClient.ServiceError e, String command) {
        if (e.status >= 500) {
            return new CniError(CniError.TRY_AGAIN_LATER, "netplane's ipam-service failed the " + command + ": "
                    + e.getMessage());
        }
        return new CniError(e.status == 400 || e.status == 404 ? CniError.INVALID_CONFIG : CniError.REFUSED,
                e.getMessage());
    }
}
