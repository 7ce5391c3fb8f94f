package io.netplane.events;

import java.time.Instant;

/** An endpoint is gone and its addresses free again (topic {@code endpoints}, key endpoint id). */
public record EndpointReleased(String endpointId, long revision, Instant time, int schemaVersion, String containerId,
        String networkId, String hostId) implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public EndpointReleased {
        Require.text(endpointId, "endpointId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
        Require.text(hostId, "hostId");
    }

    @Override
    public String aggregateId() {
        return endpointId;
    }
}
