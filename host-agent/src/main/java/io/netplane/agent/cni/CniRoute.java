package io.netplane.agent.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netplane.agent.ipam.IpamServiceClient;
import io.netplane.agent.socket.Route;
import org.jboss.logging.Logger;

/**
 * {@code POST /cni/<command>} on the agent's socket: 200 with the result (or nothing) when the call
 * succeeded, 400 with the spec's error result when it did not; netplane-cni turns these into its
 * output and exit code.
 */
final class CniRoute implements Route {

    private static final Logger LOG = Logger.getLogger(CniRoute.class);
    private final CniPlugin plugin;

    CniRoute(CniPlugin plugin) {
        this.plugin = plugin;
    }

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public ObjectNode answer(JsonNode request) {
        String version = CniRequest.versionOf(request);
        try {
            return plugin.answer(CniRequest.parse(request));
        } catch (CniError e) {
            throw new Versioned(e, version);
        } catch (IpamServiceClient.Unreachable e) {
            throw new Versioned(new CniError(CniError.TRY_AGAIN_LATER, e.getMessage()), version);
        } catch (RuntimeException e) {
            LOG.errorf(e, "CNI %s failed", request.path("command").asText());
            throw new Versioned(new CniError(CniError.AGENT_FAILED, "netplane's agent failed: " + e.getMessage()),
                    version);
        }
    }

    @Override
    public Answer refuse(RuntimeException refusal) {
        Versioned v = refusal instanceof Versioned x ? x
                : new Versioned(new CniError(refusal instanceof Unreadable ? CniError.DECODING_FAILURE
                        : CniError.AGENT_FAILED, "netplane's agent " + refusal.getMessage()), "1.0.0");
        LOG.infof("CNI call refused (code %d): %s", v.error.code(), v.error.getMessage());
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("cniVersion", v.version)
                .put("code", v.error.code()).put("msg", v.error.getMessage());
        if (v.error.details() != null) {
            body.put("details", v.error.details());
        }
        return new Answer(400, body);
    }

    /** A refusal with the cniVersion its answer is written in. */
    private static final class Versioned extends RuntimeException {
        final CniError error;
        final String version;

        Versioned(CniError error, String version) {
            super(error.getMessage(), error);
            this.error = error;
            this.version = version;
        }
    }
}
