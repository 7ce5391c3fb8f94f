package io.netplane.agent.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One path of the agent's local socket: a protocol's call (Docker's plugin protocol, CNI) and the
 * way that protocol answers a refusal.
 */
public interface Route {

    /** A status and a JSON body. */
    record Answer(int status, ObjectNode body) {
    }

    /** Thrown to {@link #refuse} when the request body is not JSON. */
    final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    String contentType();

    /** The answer to a well-formed request; may throw, which {@link #refuse} turns into the answer. */
    ObjectNode answer(JsonNode request);

    /** The protocol's answer to a request {@link #answer} refused or failed on. */
    Answer refuse(RuntimeException refusal);
}
