package io.netplane.events;

import java.time.Instant;

/** A network is gone (topic {@code networks}, key network id). */
public record NetworkRemoved(String networkId, long revision, Instant time, int schemaVersion, String name)
        implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public NetworkRemoved {
        Require.text(networkId, "networkId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
    }

    @Override
    public String aggregateId() {
        return networkId;
    }
}
