package io.netplane.ipam.outbox;

import io.netplane.events.NetplaneEvent;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where a state change's events go: appended in the same transaction as the change
 * (messaging's OutboxWriter has this contract), never sent to Kafka directly.
 */
@FunctionalInterface
public interface EventSink {
    void append(Connection tx, NetplaneEvent event) throws SQLException;
}
