package io.netplane.ipam.outbox;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.codec.TraceParent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Where a state change's events go: appended in the same transaction as the change
 * (messaging's OutboxWriter has this contract), never sent to Kafka directly.
 */
@FunctionalInterface
public interface EventSink {
    /** Appends {@code event} as part of the thread's current trace ({@link TraceParent#current()}). */
    void append(Connection tx, NetplaneEvent event) throws SQLException;

    /**
     * Appends {@code events} in order, {@code traces[i]} the trace of {@code events[i]}; a sink that
     * can write them at once (one insert, one notify) does.
     */
    default void appendAll(Connection tx, List<NetplaneEvent> events, List<TraceParent> traces) throws SQLException {
        for (int i = 0; i < events.size(); i++) {
            TraceParent before = TraceParent.makeCurrent(traces.get(i));
            try {
                append(tx, events.get(i));
            } finally {
                TraceParent.makeCurrent(before);
            }
        }
    }
}
