package io.netplane.ipam.outbox;

import io.netplane.events.EventType;
import io.netplane.events.NetplaneEvent;
import io.netplane.ipam.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Writes events to ipam.event_outbox in the caller's transaction. Stands in for messaging's
 * OutboxWriter (same contract) until that module lands; a relay then publishes the rows in order.
 */
public final class OutboxTable implements EventSink {

    @Override
    public void append(Connection tx, NetplaneEvent event) throws SQLException {
        EventType type = EventType.of(event);
        Sql.update(tx, "INSERT INTO ipam.event_outbox (topic, event_key, type, payload) VALUES (?,?,?,?::jsonb)",
                type.topic().topicName(), event.aggregateId(), type.ceType(), Sql.json(event));
    }
}
