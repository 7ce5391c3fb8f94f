package io.netplane.events.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.netplane.events.EventType;
import io.netplane.events.MalformedEventException;
import io.netplane.events.NetplaneEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON for events: ISO-8601 times, nulls left out, unknown fields ignored (a newer producer may
 * add fields), and any decoding failure reported as {@link MalformedEventException} with a reason
 * fit for a dead-letter record.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = configure(new ObjectMapper());

    private EventJson() {
    }

    /** Applies netplane's JSON conventions to a mapper (also used for Quarkus' own mapper). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    public static String encodeToString(Object event) {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    public static <T> T decode(byte[] json, Class<T> type) {
        if (json == null || json.length == 0) {
            throw new MalformedEventException("empty payload for " + type.getSimpleName());
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new MalformedEventException(type.getSimpleName() + ": " + cause.getMessage(), e);
        } catch (IOException e) {
            throw new MalformedEventException(type.getSimpleName() + ": " + originalMessage(e), e);
        }
    }

    /** Decodes a record by its CloudEvents type. */
    public static NetplaneEvent decode(String ceType, byte[] json) {
        if (ceType == null) {
            throw new MalformedEventException("missing ce_type header");
        }
        EventType type = EventType.byCeType(ceType)
                .orElseThrow(() -> new MalformedEventException("unknown event type " + ceType));
        return decode(json, type.recordClass());
    }

    private static String originalMessage(IOException e) {
        return e.getMessage();
    }
}
