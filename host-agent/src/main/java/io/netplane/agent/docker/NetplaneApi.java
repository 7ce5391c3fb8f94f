package io.netplane.agent.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.events.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The calls of ipam-service's API the plugin and the engine sync make, typed. */
class NetplaneApi {

    private final IpamServiceClient http;
    private final String hostId;

    NetplaneApi(IpamServiceClient http, String hostId) {
        this.http = http;
        this.hostId = hostId;
    }

    String hostId() {
        return hostId;
    }

    private static String seg(String v) {
        return IpamServiceClient.segment(v);
    }

    /** By id, name or id prefix; empty when there is none. */
    Optional<NetplaneNetwork> network(String ref) {
        try {
            return Optional.of(NetplaneNetwork.of(http.get("/v1/networks/" + seg(ref)).path("network")));
        } catch (IpamServiceClient.ServiceError e) {
            if (e.status == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    List<NetplaneNetwork> networks() {
        List<NetplaneNetwork> out = new ArrayList<>();
        http.get("/v1/networks").forEach(n -> out.add(NetplaneNetwork.of(n)));
        return out;
    }

    NetplaneNetwork createNetwork(String name, String driver, String subnet, String ipRange) {
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

    NetplaneNetwork patchNetwork(String id, Map<String, Object> patch) {
        return NetplaneNetwork.of(http.patch("/v1/networks/" + seg(id), patch));
    }

    /** Removes a network; false when it is gone already or still in use (has endpoints, is predefined). */
    boolean deleteNetwork(String id) {
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
    JsonNode holdAddress(String placeholder, String networkId, String address) {
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
     * its last endpoint. Nothing to do when the container is gone already.
     */
    void releaseEndpoint(String container, String networkId) {
        String ref = "/v1/containers/" + seg(container);
        String host = "?host=" + seg(hostId);
        try {
            JsonNode c = http.get(ref + host);
            if (c.path("endpoints").size() <= 1) {
                http.delete(ref + host);
            } else {
                http.delete(ref + "/networks/" + seg(networkId) + host);
            }
        } catch (IpamServiceClient.ServiceError e) {
            if (e.status != 404) {
                throw e;
            }
        }
    }

    /** Hands the endpoint to Docker's container: DNS names become Docker's. */
    void adopt(String endpointId, String containerId, String name, String hostname, List<String> aliases) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", containerId);
        body.put("name", name);
        body.put("hostname", hostname);
        body.put("aliases", aliases);
        http.put("/v1/endpoints/" + seg(endpointId) + "/container", body);
    }

    void publishPorts(String endpointId, List<Map<String, Object>> ports, List<String> exposed) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ports", ports);
        body.put("exposedPorts", exposed);
        http.put("/v1/endpoints/" + seg(endpointId) + "/ports", body);
    }
}
