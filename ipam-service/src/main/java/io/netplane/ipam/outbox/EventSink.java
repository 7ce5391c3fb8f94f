package io.netplane.ipam.outbox;

import io.netplane.events.NetplaneEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Where a state change's events go: appended in the same transaction as the change
 * (messaging's OutboxWriter has this contract), never sent to Kafka directly.
 */
@FunctionalInterface
public interface EventSink {
    void append(Connection tx, NetplaneEvent event) throws SQLException;

    /** Appends {@code events} in order; a sink that can write them at once (one insert, one notify) does. */
    default void appendAll(Connection tx, List<NetplaneEvent> events) throws SQLException {
        for (NetplaneEvent event : events) {
            append(tx, event);
        }
    }
}
