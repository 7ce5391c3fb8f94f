package io.netplane.messaging.outbox;

import io.netplane.events.EventType;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.codec.EventJson;
import io.netplane.events.codec.TraceParent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collections;
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
                + " payload, traceparent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        this.moreValues = ", (?, ?, ?, ?, ?, ?, ?, ?)";
        // NOTIFY is transactional too: the relay is woken when, and only if, the transaction commits.
        this.notifySql = "SELECT pg_notify('" + OutboxSchema.channel(schema) + "', '')";
        this.source = source;
    }

    /** Appends {@code event} as part of the thread's current trace ({@link TraceParent#current()}), if any. */
    public void append(Connection tx, NetplaneEvent event) throws SQLException {
        appendAll(tx, List.of(event), Collections.singletonList(TraceParent.current()));
    }

    /**
     * Appends {@code events} in their order with one statement (insert and notify), however many
     * they are; {@code traces[i]} (may be null) is the trace of the change that made {@code events[i]}.
     */
    public void appendAll(Connection tx, List<? extends NetplaneEvent> events, List<TraceParent> traces)
            throws SQLException {
        if (traces.size() != events.size()) {
            throw new IllegalArgumentException(events.size() + " events but " + traces.size() + " traces");
        }
        if (tx.getAutoCommit()) {
            throw new IllegalStateException("outbox append outside a transaction would publish uncommitted state");
        }
        if (events.isEmpty()) {
            return;
        }
        String sql = "WITH appended AS (" + insertSql + moreValues.repeat(events.size() - 1) + ") " + notifySql;
        try (PreparedStatement ps = tx.prepareStatement(sql)) {
            int p = 0;
            for (int i = 0; i < events.size(); i++) {
                NetplaneEvent event = events.get(i);
                EventType type = EventType.of(event);
                ps.setObject(++p, UUID.randomUUID());
                ps.setString(++p, type.topic().topicName());
                ps.setString(++p, event.aggregateId());
                ps.setString(++p, type.ceType());
                ps.setString(++p, source);
                ps.setTimestamp(++p, Timestamp.from(event.time()));
                ps.setBytes(++p, EventJson.encode(event));
                ps.setString(++p, traces.get(i) == null ? null : traces.get(i).toString());
            }
            ps.execute(); // the insert runs in full although nothing reads it
        }
    }
}
