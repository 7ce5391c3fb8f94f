package io.netplane.events.kafka;

import io.netplane.events.EventType;
import io.netplane.events.MalformedEventException;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.Topic;
import io.netplane.events.codec.CloudEvent;
import io.netplane.events.codec.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Events as Kafka records: key = aggregate id, value = JSON, CloudEvents attributes as
 * {@code ce_*} headers (binary mode). Also builds the dead-letter record for one that cannot be
 * decoded, with the same headers SmallRye's dead-letter-queue strategy writes.
 */
public final class EventRecords {

    public static final String DLQ_REASON = "dead-letter-reason";
    public static final String DLQ_TOPIC = "dead-letter-topic";
    public static final String DLQ_PARTITION = "dead-letter-partition";
    public static final String DLQ_OFFSET = "dead-letter-offset";

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

    /** The dead-letter copy of a rejected record: same key, value and headers, plus the reason. */
    public static ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        ProducerRecord<String, byte[]> dead =
                new ProducerRecord<>(Topic.DEAD_LETTER.topicName(), record.key(), record.value());
        for (Header h : record.headers()) {
            dead.headers().add(h);
        }
        Map.of(DLQ_REASON, reason == null ? "unknown" : reason,
                DLQ_TOPIC, record.topic(),
                DLQ_PARTITION, Integer.toString(record.partition()),
                DLQ_OFFSET, Long.toString(record.offset()))
                .forEach((name, value) -> dead.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return dead;
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
