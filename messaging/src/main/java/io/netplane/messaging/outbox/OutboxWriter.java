package io.netplane.messaging.outbox;

import io.netplane.events.EventType;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.codec.EventJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

/**
 * Writes an event into the outbox in the caller's transaction, so it is published if and only
 * if the state change commits. Callers must lock the aggregate's row before appending its event:
 * then rows of one aggregate are inserted, committed and relayed in the same order.
 */
public final class OutboxWriter {

    private final String insertSql;
    private final String moreValues;
    private final String notifySql;
    private final String source;

    /** {@code source} is the CloudEvents source, e.g. "/netplane/ipam-service". */
    public OutboxWriter(String schema, String source) {
        String s = OutboxSchema.identifier(schema);
        this.insertSql = "INSERT INTO " + s + ".outbox (event_id, topic, record_key, ce_type, ce_source, occurred_at,"
                + " payload) VALUES (?, ?, ?, ?, ?, ?, ?)";
        this.moreValues = ", (?, ?, ?, ?, ?, ?, ?)";
        // NOTIFY is transactional too: the relay is woken when, and only if, the transaction commits.
        this.notifySql = "SELECT pg_notify('" + OutboxSchema.channel(schema) + "', '')";
        this.source = source;
    }

    public void append(Connection tx, NetplaneEvent event) throws SQLException {
        appendAll(tx, List.of(event));
    }

    /** Appends {@code events} in their order with one statement (insert and notify), however many they are. */
    public void appendAll(Connection tx, List<? extends NetplaneEvent> events) throws SQLException {
        if (tx.getAutoCommit()) {
            throw new IllegalStateException("outbox append outside a transaction would publish uncommitted state");
        }
        if (events.isEmpty()) {
            return;
        }
        String sql = "WITH appended AS (" + insertSql + moreValues.repeat(events.size() - 1) + ") " + notifySql;
        try (PreparedStatement ps = tx.prepareStatement(sql)) {
            int p = 0;
            for (NetplaneEvent event : events) {
                EventType type = EventType.of(event);
                ps.setObject(++p, UUID.randomUUID());
                ps.setString(++p, type.topic().topicName());
                ps.setString(++p, event.aggregateId());
                ps.setString(++p, type.ceType());
                ps.setString(++p, source);
                ps.setTimestamp(++p, Timestamp.from(event.time()));
                ps.setBytes(++p, EventJson.encode(event));
            }
            ps.execute(); // the insert runs in full although nothing reads it
        }
    }
}
