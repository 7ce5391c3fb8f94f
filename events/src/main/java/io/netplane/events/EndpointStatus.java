package io.netplane.events;

import io.netplane.events.model.EndpointState;
import java.time.Instant;

/**
 * A host agent's report on one endpoint (topic {@code agent-status}, key endpoint id):
 * {@code endpointRevision} is the revision of the {@link EndpointAllocated} it applied, and
 * {@code error} says why when the state is FAILED.
 */
public record EndpointStatus(String endpointId, long revision, Instant time, int schemaVersion, String hostId,
        long endpointRevision, EndpointState state, String error) implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public EndpointStatus {
        Require.text(endpointId, "endpointId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
        Require.text(hostId, "hostId");
        Require.present(state, "state");
    }

    @Override
    public String aggregateId() {
        return endpointId;
    }
}
