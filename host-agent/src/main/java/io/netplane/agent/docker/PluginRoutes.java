package io.netplane.agent.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Docker's plugin calls by path ({@code /Plugin.Activate}, {@code /NetworkDriver.Join},
 * {@code /IpamDriver.RequestPool} ...) to the driver method that answers them, and the field Docker
 * reads an error from: {@code Err} for the network driver, {@code Error} for IPAM.
 */
final class PluginRoutes {

    record Route(Function<JsonNode, ObjectNode> handler, String errorField) {
    }

    private static final String ERR = "Err";
    private static final String ERROR = "Error";
    private final Map<String, Route> routes = new HashMap<>();

    PluginRoutes(NetworkDriver net, IpamDriver ipam) {
        route("/Plugin.Activate", b -> {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.putArray("Implements").add("NetworkDriver").add("IpamDriver");
            return out;
        }, ERR);
        route("/NetworkDriver.GetCapabilities", b -> net.capabilities(), ERR);
        route("/NetworkDriver.CreateNetwork", net::createNetwork, ERR);
        route("/NetworkDriver.DeleteNetwork", net::deleteNetwork, ERR);
        route("/NetworkDriver.AllocateNetwork", b -> JsonNodeFactory.instance.objectNode(), ERR);
        route("/NetworkDriver.FreeNetwork", b -> JsonNodeFactory.instance.objectNode(), ERR);
        route("/NetworkDriver.CreateEndpoint", net::createEndpoint, ERR);
        route("/NetworkDriver.DeleteEndpoint", net::deleteEndpoint, ERR);
        route("/NetworkDriver.EndpointOperInfo", net::operInfo, ERR);
        route("/NetworkDriver.Join", net::join, ERR);
        route("/NetworkDriver.Leave", net::leave, ERR);
        route("/NetworkDriver.ProgramExternalConnectivity", net::programExternalConnectivity, ERR);
        route("/NetworkDriver.RevokeExternalConnectivity", net::revokeExternalConnectivity, ERR);
        route("/NetworkDriver.DiscoverNew", b -> JsonNodeFactory.instance.objectNode(), ERR);
        route("/NetworkDriver.DiscoverDelete", b -> JsonNodeFactory.instance.objectNode(), ERR);
        route("/IpamDriver.GetCapabilities", b -> ipam.capabilities(), ERROR);
        route("/IpamDriver.GetDefaultAddressSpaces", b -> ipam.addressSpaces(), ERROR);
        route("/IpamDriver.RequestPool", ipam::requestPool, ERROR);
        route("/IpamDriver.ReleasePool", ipam::releasePool, ERROR);
        route("/IpamDriver.RequestAddress", ipam::requestAddress, ERROR);
        route("/IpamDriver.ReleaseAddress", ipam::releaseAddress, ERROR);
    }

    private void route(String path, Function<JsonNode, ObjectNode> handler, String errorField) {
        routes.put(path, new Route(handler, errorField));
    }

    /** Null for a path Docker's protocol does not have. */
    Route route(String path) {
        return routes.get(path);
    }
}
