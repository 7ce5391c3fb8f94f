package io.netplane.events;

import java.time.Instant;

/** A host agent stopped cleanly (topic {@code hosts}, key host id). */
public record HostLeft(String hostId, long revision, Instant time, int schemaVersion) implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public HostLeft {
        Require.text(hostId, "hostId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
    }

    @Override
    public String aggregateId() {
        return hostId;
    }
}
