package io.netplane.messaging.outbox;

import io.netplane.events.EventType;
import io.netplane.events.MalformedEventException;
import io.netplane.events.codec.CloudEvent;
import io.netplane.events.codec.TraceParent;
import io.netplane.events.kafka.EventRecords;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** One unsent outbox row as the relay claimed it. */
record OutboxRow(long id, UUID eventId, String topic, String key, String ceType, String ceSource,
        Instant occurredAt, byte[] payload, String traceparent) {

    /** The columns {@link #read} expects, in order. */
    static final String COLUMNS = "id, event_id, topic, record_key, ce_type, ce_source, occurred_at, payload,"
            + " traceparent";

    static OutboxRow read(ResultSet rs) throws SQLException {
        return new OutboxRow(rs.getLong(1), (UUID) rs.getObject(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getBytes(8), rs.getString(9));
    }

    /** The record that publishes this row; a {@code ce_type} this build does not know is refused. */
    ProducerRecord<String, byte[]> toRecord() {
        EventType type = EventType.byCeType(ceType)
                .orElseThrow(() -> new MalformedEventException("outbox row of unknown type " + ceType));
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, payload);
        cloudEvent(type.schemaResource()).toHeaders().forEach((k, v) -> r.headers().add(k, v));
        return EventRecords.traced(r, TraceParent.parse(traceparent).orElse(null));
    }

    /** The dead letter of this row: the record it would have been, the reason, and where the row stays. */
    ProducerRecord<String, byte[]> deadLetter(String schema, String reason) {
        RecordHeaders headers = new RecordHeaders();
        cloudEvent(EventType.byCeType(ceType).map(EventType::schemaResource).orElse(null)).toHeaders()
                .forEach(headers::add);
        ProducerRecord<String, byte[]> dead = EventRecords.deadLetter(topic, key, payload, headers, reason);
        EventRecords.add(dead, EventRecords.DLQ_OUTBOX_SCHEMA, schema);
        EventRecords.add(dead, EventRecords.DLQ_OUTBOX_ID, Long.toString(id));
        return dead;
    }

    private CloudEvent cloudEvent(String dataSchema) {
        return new CloudEvent(eventId.toString(), ceSource, ceType, occurredAt, key, dataSchema);
    }
}
