package io.netplane.console.web;

import io.netplane.console.history.Change;
import io.netplane.console.history.Describe;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.EndpointStatus;
import io.netplane.events.EventType;

/**
 * One row of the timeline. {@code source} is who produced the event (its {@code ce_source}); the
 * events carry no API principal, so that is as close to "who asked" as the log goes.
 * {@code endpointId} is set for an endpoint's changes, whose connect timeline the page can open.
 */
public record ChangeView(long seq, String time, String type, String topic, String aggregateId, long revision,
        String summary, String source, String endpointId) {

    static ChangeView of(Change c) {
        boolean endpoint = c.event() instanceof EndpointAllocated || c.event() instanceof EndpointReleased
                || c.event() instanceof EndpointStatus;
        return new ChangeView(c.seq(), c.when().toString(), EventType.of(c.event()).recordClass().getSimpleName(),
                c.topic(), c.event().aggregateId(), c.event().revision(), Describe.of(c.event()), c.source(),
                endpoint ? c.event().aggregateId() : null);
    }
}
