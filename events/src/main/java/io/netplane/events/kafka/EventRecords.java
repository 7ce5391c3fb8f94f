package io.netplane.events.kafka;

import io.netplane.events.EventType;
import io.netplane.events.MalformedEventException;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.Topic;
import io.netplane.events.codec.CloudEvent;
import io.netplane.events.codec.TraceParent;
import io.netplane.events.codec.EventJson;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Events as Kafka records: key = aggregate id, value = JSON, CloudEvents attributes as
 * {@code ce_*} headers (binary mode). Also builds the dead-letter record for one that cannot be
 * decoded or published, with the same headers SmallRye's dead-letter-queue strategy writes.
 */
public final class EventRecords {

    public static final String DLQ_REASON = "dead-letter-reason";
    public static final String DLQ_TOPIC = "dead-letter-topic";
    public static final String DLQ_PARTITION = "dead-letter-partition";
    public static final String DLQ_OFFSET = "dead-letter-offset";
    /** Set when the rejected record's value was too large to copy: its size ("1048600 bytes"). */
    public static final String DLQ_PAYLOAD_OMITTED = "dead-letter-payload-omitted";
    /** The outbox row of a record the broker refused for good (the relay's dead letters only). */
    public static final String DLQ_OUTBOX_SCHEMA = "dead-letter-outbox-schema";
    public static final String DLQ_OUTBOX_ID = "dead-letter-outbox-id";

    public static final int DEAD_LETTER_MAX_VALUE = 64 * 1024;
    public static final int DEAD_LETTER_MAX_TEXT = 1024;

    private EventRecords() {
    }

    /** The record that publishes {@code event} from {@code source} (e.g. "/netplane/ipam-service"). */
    public static ProducerRecord<String, byte[]> toRecord(NetplaneEvent event, String source) {
        return toRecord(event, CloudEvent.of(event, source));
    }

    public static ProducerRecord<String, byte[]> toRecord(NetplaneEvent event, CloudEvent ce) {
        Topic topic = EventType.of(event).topic();
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic.topicName(), event.aggregateId(), EventJson.encode(event));
        ce.toHeaders().forEach((name, value) -> record.headers().add(name, value));
        return record;
    }

    /** Sets the record's trace ({@link CloudEvent#H_TRACEPARENT}) when {@code trace} is not null; returns it. */
    public static ProducerRecord<String, byte[]> traced(ProducerRecord<String, byte[]> record, TraceParent trace) {
        if (trace != null) {
            record.headers().remove(CloudEvent.H_TRACEPARENT);
            add(record, CloudEvent.H_TRACEPARENT, trace.toString());
        }
        return record;
    }

    /** The trace a record carries, when it carries a valid one. */
    public static java.util.Optional<TraceParent> trace(Headers headers) {
        return TraceParent.parse(header(headers, CloudEvent.H_TRACEPARENT));
    }

    /** Decodes a consumed record, or throws {@link MalformedEventException} saying why not. */
    public static NetplaneEvent decode(ConsumerRecord<String, byte[]> record) {
        CloudEvent ce = CloudEvent.fromHeaders(name -> last(record.headers(), name));
        NetplaneEvent event = EventJson.decode(ce.type(), record.value());
        if (record.key() != null && !record.key().equals(event.aggregateId())) {
            throw new MalformedEventException(
                    "record key " + record.key() + " is not the event's aggregate id " + event.aggregateId());
        }
        return event;
    }

    /** The dead-letter copy of a rejected record: same key, value and headers, plus the reason and its place. */
    public static ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        ProducerRecord<String, byte[]> dead =
                deadLetter(record.topic(), record.key(), record.value(), record.headers(), reason);
        add(dead, DLQ_PARTITION, Integer.toString(record.partition()));
        add(dead, DLQ_OFFSET, Long.toString(record.offset()));
        return dead;
    }

    /**
     * The dead letter of a record meant for {@code topic}: its key, value and headers plus the reason. A
     * dead letter must itself be accepted, so a value over {@link #DEAD_LETTER_MAX_VALUE} bytes is left out
     * ({@link #DLQ_PAYLOAD_OMITTED} gives its size) and the key and header values are cut to
     * {@link #DEAD_LETTER_MAX_TEXT} characters.
     */
    public static ProducerRecord<String, byte[]> deadLetter(String topic, String key, byte[] value,
            Iterable<Header> headers, String reason) {
        boolean omit = value != null && value.length > DEAD_LETTER_MAX_VALUE;
        ProducerRecord<String, byte[]> dead =
                new ProducerRecord<>(Topic.DEAD_LETTER.topicName(), bounded(key), omit ? null : value);
        for (Header h : headers) {
            byte[] v = h.value();
            dead.headers().add(h.key(), v == null || v.length <= DEAD_LETTER_MAX_TEXT ? v
                    : bounded(new String(v, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        }
        add(dead, DLQ_REASON, reason == null ? "unknown" : reason);
        add(dead, DLQ_TOPIC, topic);
        if (omit) {
            add(dead, DLQ_PAYLOAD_OMITTED, value.length + " bytes");
        }
        return dead;
    }

    /** Adds a text header to a dead letter, cut to {@link #DEAD_LETTER_MAX_TEXT} characters. */
    public static void add(ProducerRecord<String, byte[]> dead, String name, String value) {
        dead.headers().add(name, bounded(value).getBytes(StandardCharsets.UTF_8));
    }

    private static String bounded(String text) {
        if (text == null || text.length() <= DEAD_LETTER_MAX_TEXT) {
            return text;
        }
        return text.substring(0, DEAD_LETTER_MAX_TEXT) + "... (" + text.length() + " characters)";
    }

    public static String header(Headers headers, String name) {
        byte[] v = last(headers, name);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    private static byte[] last(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : h.value();
    }
}
