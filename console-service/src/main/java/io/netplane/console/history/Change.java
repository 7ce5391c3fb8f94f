package io.netplane.console.history;

import io.netplane.events.NetplaneEvent;
import java.time.Instant;

/**
 * One event as the console received it, with where and when it travelled: {@code published} is
 * the Kafka record's timestamp (the producer's clock when it sent the record; the topics keep
 * CreateTime), {@code received} the console's clock when it read it, {@code source} the
 * CloudEvents {@code ce_source} (the service or agent that produced it), {@code traceId} the W3C
 * trace its record carried ({@code ce_traceparent}), null when none.
 */
public record Change(long seq, NetplaneEvent event, String topic, Instant published, Instant received, String source,
        String traceId, Subjects subjects) {

    /** When the change was made: the event's own time (the producer's clock, in the transaction that made it). */
    public Instant when() {
        return event.time();
    }
}
