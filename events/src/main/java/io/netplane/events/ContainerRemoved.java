package io.netplane.events;

import java.time.Instant;

/** A container's networking is gone; its agent removes the sandbox it made (topic {@code containers}). */
public record ContainerRemoved(String containerId, long revision, Instant time, int schemaVersion, String name,
        String hostId, String sandboxName) implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public ContainerRemoved {
        Require.text(containerId, "containerId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
        Require.text(hostId, "hostId");
    }

    @Override
    public String aggregateId() {
        return containerId;
    }
}
