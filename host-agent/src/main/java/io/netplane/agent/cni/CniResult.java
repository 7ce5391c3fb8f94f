package io.netplane.agent.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netplane.agent.dns.DnsStub;
import io.netplane.agent.netlink.RouteInfo;
import io.netplane.agent.reconcile.Ownership;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of an ADD, in the request's cniVersion: the host's veth and the container's interface,
 * the address with its gateway, the routes the agent set in the namespace (as the kernel has them)
 * and the DNS stub; and what CHECK reads back from a previous result.
 */
final class CniResult {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What a previous result says of the container's interface; {@code mac} null when it says none. */
    record Expected(String mac, List<String> addresses, List<Route> routes) {
    }

    /** A route as CNI writes it: {@code dst} a CIDR, {@code gw} null for a route on the link. */
    record Route(String dst, String gw) {
    }

    private CniResult() {
    }

    /**
     * {@code endpoints}: ipam-service's views of the endpoint the ADD asked for, then of the gateway
     * bridge's when the network is an overlay (the container's way out, as docker_gwbridge is
     * Docker's); {@code routes}: the kernel's on their interfaces.
     */
    static ObjectNode of(CniRequest r, List<JsonNode> endpoints, List<RouteInfo> routes, boolean dnsStub) {
        ObjectNode out = NODES.objectNode().put("cniVersion", r.cniVersion());
        ArrayNode interfaces = out.putArray("interfaces");
        ArrayNode ips = out.putArray("ips");
        for (JsonNode endpoint : endpoints) {
            interfaces.addObject().put("name", Ownership.vethName(endpoint.path("id").asText()));
            interfaces.addObject().put("name", endpoint.path("interfaceName").asText())
                    .put("mac", endpoint.path("macAddress").asText()).put("sandbox", r.netns());
            ObjectNode ip = ips.addObject();
            if (CniVersions.ipsCarryVersion(r.cniVersion())) {
                ip.put("version", "4");
            }
            ip.put("address", endpoint.path("ipv4Address").asText());
            String gateway = endpoint.path("ipv4Gateway").asText("");
            if (!gateway.isEmpty()) {
                ip.put("gateway", gateway);
            }
            ip.put("interface", interfaces.size() - 1);
        }
        ArrayNode routeList = out.putArray("routes");
        for (RouteInfo route : routes) {
            if (route.gateway() != null) {
                routeList.addObject().put("dst", dst(route)).put("gw", route.gateway());
            }
        }
        if (dnsStub) {
            out.putObject("dns").putArray("nameservers").add(DnsStub.ADDRESS);
        }
        return out;
    }

    static String dst(RouteInfo route) {
        return (route.destination() == null ? "0.0.0.0" : route.destination()) + "/" + route.prefixLength();
    }

    /** The interface named {@code ifname} in {@code prevResult}, its addresses and the routes. */
    static Expected expected(JsonNode prevResult, String ifname) {
        JsonNode interfaces = prevResult.path("interfaces");
        int index = -1;
        for (int i = 0; i < interfaces.size(); i++) {
            if (ifname.equals(interfaces.get(i).path("name").asText()) && interfaces.get(i).hasNonNull("sandbox")) {
                index = i;
            }
        }
        if (index < 0) {
            throw new CniError(CniError.INVALID_CONFIG, "prevResult has no interface " + ifname + " in a sandbox");
        }
        List<String> addresses = new ArrayList<>();
        for (JsonNode ip : prevResult.path("ips")) {
            if (!ip.has("interface") || ip.path("interface").asInt() == index) {
                addresses.add(ip.path("address").asText());
            }
        }
        List<Route> routes = new ArrayList<>();
        for (JsonNode route : prevResult.path("routes")) {
            routes.add(new Route(route.path("dst").asText(), route.hasNonNull("gw") ? route.path("gw").asText() : null));
        }
        String mac = interfaces.get(index).path("mac").asText("");
        return new Expected(mac.isEmpty() ? null : mac.toLowerCase(java.util.Locale.ROOT), addresses, routes);
    }
}
