package io.netplane.bench.faults;

import io.netplane.events.ContainerCreated;
import io.netplane.events.ContainerRemoved;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.NetplaneEvent;

/**
 * One committed change as the audits compare it, in ipam's outbox or on a topic: the CloudEvent id
 * (the outbox row's event_id, carried as ce_id), the aggregate, its revision, and whether it says
 * the aggregate is gone.
 */
record Change(String eventId, String aggregateId, long revision, String type, String host, boolean removal) {

    /** The change an event of ipam-service's aggregates makes; null for any other event. */
    static Change of(String eventId, NetplaneEvent event) {
        String host;
        boolean removal;
        if (event instanceof ContainerCreated c) {
            host = c.hostId();
            removal = false;
        } else if (event instanceof ContainerRemoved c) {
            host = c.hostId();
            removal = true;
        } else if (event instanceof EndpointAllocated e) {
            host = e.hostId();
            removal = false;
        } else if (event instanceof EndpointReleased e) {
            host = e.hostId();
            removal = true;
        } else {
            return null;
        }
        return new Change(eventId, event.aggregateId(), event.revision(), event.getClass().getSimpleName(), host,
                removal);
    }
}
