package io.netplane.agent.ipam;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.events.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The calls of ipam-service's API the agent's plugins (Docker's, CNI) and the engine sync make, typed. */
public class NetplaneApi {

    private final IpamServiceClient http;
    private final String hostId;

    public NetplaneApi(IpamServiceClient http, String hostId) {
        this.http = http;
        this.hostId = hostId;
    }

    public String hostId() {
        return hostId;
    }

    private static String seg(String v) {
        return IpamServiceClient.segment(v);
    }

    /** By id, name or id prefix; empty when there is none. */
    public Optional<NetplaneNetwork> network(String ref) {
        try {
            return Optional.of(NetplaneNetwork.of(http.get("/v1/networks/" + seg(ref)).path("network")));
        } catch (IpamServiceClient.ServiceError e) {
            if (e.status == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public List<NetplaneNetwork> networks() {
        List<NetplaneNetwork> out = new ArrayList<>();
        http.get("/v1/networks").forEach(n -> out.add(NetplaneNetwork.of(n)));
        return out;
    }

    public NetplaneNetwork createNetwork(String name, String driver, String subnet, String ipRange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("driver", driver);
        if (subnet != null && !subnet.isEmpty()) {
            Map<String, Object> ipam = new LinkedHashMap<>();
            ipam.put("subnet", subnet);
            if (ipRange != null && !ipRange.isEmpty()) {
                ipam.put("ipRange", ipRange);
            }
            body.put("ipam", List.of(ipam));
        }
        return NetplaneNetwork.of(http.post("/v1/networks", body));
    }

    public NetplaneNetwork patchNetwork(String id, Map<String, Object> patch) {
        return NetplaneNetwork.of(http.patch("/v1/networks/" + seg(id), patch));
    }

    /** Removes a network; false when it is gone already or still in use (has endpoints, is predefined). */
    public boolean deleteNetwork(String id) {
        try {
            http.delete("/v1/networks/" + seg(id));
            return true;
        } catch (IpamServiceClient.ServiceError e) {
            if (e.status == 404 || e.status == 409 || e.status == 403) {
                return false;
            }
            throw e;
        }
    }

    /** An address held for a Docker endpoint: a placeholder container on this host whose sandbox Docker owns. */
    public JsonNode holdAddress(String placeholder, String networkId, String address) {
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("network", networkId);
        if (address != null && !address.isEmpty()) {
            endpoint.put("ipv4Address", address);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", placeholder);
        body.put("hostId", hostId);
        body.put("sandbox", Names.RUNTIME_SANDBOX);
        body.put("networks", List.of(endpoint));
        return http.post("/v1/containers", body).path("endpoints").path(0);
    }

    /**
     * Releases one network's endpoint of a container of this host: the whole container when that was
     * its last endpoint (not counting the gateway bridge netplane adds to a container on an overlay, as
     * Docker adds docker_gwbridge). Nothing to do when the container is gone already or has no endpoint there.
     */
    public void releaseEndpoint(String container, String network) {
        Optional<JsonNode> c = container(container);
        if (c.isEmpty() || endpointOn(c.get(), network).isEmpty()) {
            return;
        }
        int own = 0;
        for (JsonNode e : c.get().path("endpoints")) {
            own += e.path("gatewayBridge").asBoolean() ? 0 : 1;
        }
        try {
            if (own <= 1) {
                http.delete(containerPath(container));
            } else {
                http.delete("/v1/containers/" + seg(container) + "/networks/" + seg(network) + "?host=" + seg(hostId));
            }
        } catch (IpamServiceClient.ServiceError e) {
            if (e.status != 404) {
                throw e;
            }
        }
    }

    /** A container of this host by id or name; empty when there is none. */
    public Optional<JsonNode> container(String ref) {
        try {
            return Optional.of(http.get(containerPath(ref)));
        } catch (IpamServiceClient.ServiceError e) {
            if (e.status == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The container's endpoint on a network given by id or name. */
    public static Optional<JsonNode> endpointOn(JsonNode container, String network) {
        for (JsonNode e : container.path("endpoints")) {
            if (network.equals(e.path("networkId").asText()) || network.equals(e.path("networkName").asText())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Creates a container of this host: its view, with its endpoints. */
    public JsonNode createContainer(Map<String, Object> container) {
        Map<String, Object> body = new LinkedHashMap<>(container);
        body.put("hostId", hostId);
        return http.post("/v1/containers", body);
    }

    /** docker network connect for a container of this host: the new endpoint. */
    public JsonNode connect(String container, Map<String, Object> endpoint) {
        return http.post("/v1/containers/" + seg(container) + "/networks?host=" + seg(hostId), endpoint);
    }

    private String containerPath(String ref) {
        return "/v1/containers/" + seg(ref) + "?host=" + seg(hostId);
    }

    /** Hands the endpoint to Docker's container: DNS names become Docker's. */
    public void adopt(String endpointId, String containerId, String name, String hostname, List<String> aliases) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", containerId);
        body.put("name", name);
        body.put("hostname", hostname);
        body.put("aliases", aliases);
        http.put("/v1/endpoints/" + seg(endpointId) + "/container", body);
    }

    public void publishPorts(String endpointId, List<Map<String, Object>> ports, List<String> exposed) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ports", ports);
        body.put("exposedPorts", exposed);
        http.put("/v1/endpoints/" + seg(endpointId) + "/ports", body);
    }
}
