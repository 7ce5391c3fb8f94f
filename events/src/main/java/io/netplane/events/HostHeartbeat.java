package io.netplane.events;

import io.netplane.events.model.BoundPort;
import java.time.Instant;
import java.util.List;

/**
 * A host agent is alive (topic {@code hosts}, key host id). The first heartbeat registers the
 * host; {@code revision} is the agent's heartbeat counter, made monotonic across restarts by
 * starting from the wall clock. {@code boundPorts}: the ports the host's own processes hold now
 * (none in records older than that field), which nat-service does not publish.
 */
public record HostHeartbeat(String hostId, long revision, Instant time, int schemaVersion, String underlayAddress,
        String agentVersion, Instant startedAt, List<BoundPort> boundPorts) implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public HostHeartbeat {
        Require.text(hostId, "hostId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
        Require.text(underlayAddress, "underlayAddress");
        boundPorts = boundPorts == null ? List.of() : List.copyOf(boundPorts);
    }

    /** A heartbeat that says nothing of the host's own ports. */
    public HostHeartbeat(String hostId, long revision, Instant time, int schemaVersion, String underlayAddress,
            String agentVersion, Instant startedAt) {
        this(hostId, revision, time, schemaVersion, underlayAddress, agentVersion, startedAt, List.of());
    }

    @Override
    public String aggregateId() {
        return hostId;
    }
}
