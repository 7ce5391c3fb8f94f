package io.netplane.events.codec;

import io.netplane.events.EventType;
import io.netplane.events.MalformedEventException;
import io.netplane.events.NetplaneEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The CloudEvents 1.0 attributes of one event in Kafka binary mode: each attribute is a
 * {@code ce_*} header and the record value is the JSON data (content-type application/json),
 * as SmallRye Reactive Messaging reads them.
 */
public record CloudEvent(String id, String source, String type, Instant time, String subject, String dataSchema) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    public static final String H_SPECVERSION = "ce_specversion";
    public static final String H_ID = "ce_id";
    public static final String H_SOURCE = "ce_source";
    public static final String H_TYPE = "ce_type";
    public static final String H_TIME = "ce_time";
    public static final String H_SUBJECT = "ce_subject";
    public static final String H_DATASCHEMA = "ce_dataschema";
    public static final String H_CONTENT_TYPE = "content-type";
    /** The distributed-tracing extension: the W3C traceparent of the change ({@link TraceParent}). */
    public static final String H_TRACEPARENT = "ce_traceparent";

    /** A fresh CloudEvent for an event produced by {@code source} (e.g. "/netplane/ipam-service"). */
    public static CloudEvent of(NetplaneEvent event, String source) {
        EventType type = EventType.of(event);
        return new CloudEvent(UUID.randomUUID().toString(), source, type.ceType(), event.time(), event.aggregateId(),
                type.schemaResource());
    }

    /** The headers to put on the Kafka record, in a stable order. */
    public Map<String, byte[]> toHeaders() {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(H_SPECVERSION, bytes(SPEC_VERSION));
        h.put(H_ID, bytes(id));
        h.put(H_SOURCE, bytes(source));
        h.put(H_TYPE, bytes(type));
        h.put(H_TIME, bytes(time.toString()));
        if (subject != null) {
            h.put(H_SUBJECT, bytes(subject));
        }
        if (dataSchema != null) {
            h.put(H_DATASCHEMA, bytes(dataSchema));
        }
        h.put(H_CONTENT_TYPE, bytes(CONTENT_TYPE));
        return h;
    }

    /** Reads the attributes back; {@code header} returns the last value of a header or null. */
    public static CloudEvent fromHeaders(Function<String, byte[]> header) {
        String spec = string(header.apply(H_SPECVERSION));
        if (!SPEC_VERSION.equals(spec)) {
            throw new MalformedEventException("not a CloudEvents 1.0 record (ce_specversion=" + spec + ")");
        }
        String id = required(header, H_ID);
        String source = required(header, H_SOURCE);
        String type = required(header, H_TYPE);
        Instant time = null;
        String timeText = string(header.apply(H_TIME));
        if (timeText != null) {
            try {
                time = Instant.parse(timeText);
            } catch (DateTimeParseException e) {
                throw new MalformedEventException("bad ce_time " + timeText);
            }
        }
        return new CloudEvent(id, source, type, time, string(header.apply(H_SUBJECT)),
                string(header.apply(H_DATASCHEMA)));
    }

    private static String required(Function<String, byte[]> header, String name) {
        String value = string(header.apply(name));
        if (value == null || value.isEmpty()) {
            throw new MalformedEventException("missing " + name + " header");
        }
        return value;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
