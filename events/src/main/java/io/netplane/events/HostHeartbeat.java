package io.netplane.events;

import java.time.Instant;

/**
 * A host agent is alive (topic {@code hosts}, key host id). The first heartbeat registers the
 * host; {@code revision} is the agent's heartbeat counter, made monotonic across restarts by
 * starting from the wall clock.
 */
public record HostHeartbeat(String hostId, long revision, Instant time, int schemaVersion, String underlayAddress,
        String agentVersion, Instant startedAt) implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public HostHeartbeat {
        Require.text(hostId, "hostId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
        Require.text(underlayAddress, "underlayAddress");
    }

    @Override
    public String aggregateId() {
        return hostId;
    }
}
