package io.netplane.agent.docker;

import io.netplane.agent.ipam.IpamServiceClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netplane.agent.ipam.IpamServiceClient;
import io.netplane.agent.socket.Route;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Docker's plugin calls by path ({@code /Plugin.Activate}, {@code /NetworkDriver.Join},
 * {@code /IpamDriver.RequestPool} ...) to the driver method that answers them, and the field Docker
 * reads an error from: {@code Err} for the network driver, {@code Error} for IPAM. Docker reads
 * errors from a 200 answer.
 */
final class PluginRoutes {

    private static final Logger LOG = Logger.getLogger(PluginRoutes.class);
    static final String CONTENT_TYPE = "application/vnd.docker.plugins.v1+json";
    private static final String ERR = "Err";
    private static final String ERROR = "Error";
    private final Map<String, Route> routes = new HashMap<>();

    private record DockerRoute(String path, Function<JsonNode, ObjectNode> handler, String errorField) implements Route {

        @Override
        public String contentType() {
            return CONTENT_TYPE;
        }

        @Override
        public ObjectNode answer(JsonNode request) {
            return handler.apply(request);
        }

        @Override
        public Answer refuse(RuntimeException refusal) {
            String message;
            if (refusal instanceof PluginError || refusal instanceof IpamServiceClient.ServiceError
                    || refusal instanceof IpamServiceClient.Unreachable || refusal instanceof Unreadable) {
                LOG.infof("%s refused: %s", path, refusal.getMessage());
                message = refusal instanceof Unreadable ? "netplane's plugin " + refusal.getMessage()
                        : refusal.getMessage();
            } else {
                LOG.errorf(refusal, "%s failed", path);
                message = "netplane's plugin failed: " + refusal.getMessage();
            }
            return new Answer(200, JsonNodeFactory.instance.objectNode().put(errorField, message));
        }
    }

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
        routes.put(path, new DockerRoute(path, handler, errorField));
    }

    /** Null for a path Docker's protocol does not have. */
    Route route(String path) {
        return routes.get(path);
    }
}
