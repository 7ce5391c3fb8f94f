package io.netplane.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.events.model.CommandStatus;
import io.netplane.events.model.Operation;
import java.time.Instant;

/**
 * The one answer to a {@link Command} (topic {@code command-results}, key request id): OK with
 * the resulting resource as JSON (what the REST API would return), or ERROR with an HTTP-like
 * code and a message a person can act on.
 */
public record CommandResult(String requestId, long revision, Instant time, int schemaVersion, Operation operation,
        CommandStatus status, int code, String message, JsonNode result) implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public CommandResult {
        Require.text(requestId, "requestId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
        Require.present(status, "status");
    }

    @Override
    public String aggregateId() {
        return requestId;
    }
}
