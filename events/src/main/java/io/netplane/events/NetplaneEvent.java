package io.netplane.events;

import java.time.Instant;

/**
 * What every netplane event carries. Events are state events: each holds the whole new state of
 * its aggregate, and {@link #revision()} only grows per aggregate, so a consumer keeps the newest
 * revision it has seen and drops anything not newer (see {@link RevisionGate}).
 */
public interface NetplaneEvent {

    /** The Kafka record key: the id of the aggregate this event describes. */
    String aggregateId();

    long revision();

    Instant time();

    /** Version of this record's JSON shape; bumped when a field changes meaning or is removed. */
    int schemaVersion();
}
