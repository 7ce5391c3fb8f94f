package io.netplane.overlay.model;

import java.time.Instant;

/**
 * A host as the registry knows it. {@code lastHeartbeat} is when this service received the
 * newest heartbeat (its own clock, so agents' clock skew cannot mark a host down).
 */
public record HostEntry(String hostId, long revision, String underlayAddress, String agentVersion,
        Instant lastHeartbeat, boolean up) {

    public HostEntry down(long leftRevision) {
        return new HostEntry(hostId, leftRevision, underlayAddress, agentVersion, lastHeartbeat, false);
    }
}
