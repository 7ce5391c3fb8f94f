package io.netplane.agent.kafka;

import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.EndpointStatus;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.codec.TraceParent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trace of each endpoint's newest allocation, as its record carried it, so that the agent's
 * report that the endpoint is wired (or refused) is the next step of the same trace: the console
 * joins a connect's steps by it. Forgotten when the endpoint is released.
 */
public final class EndpointTraces {

    private final Map<String, TraceParent> byEndpoint = new ConcurrentHashMap<>();

    /** Notes the trace a record brought for its event (none: the endpoint's older one is dropped). */
    void seen(NetplaneEvent event, TraceParent trace) {
        if (event instanceof EndpointAllocated e) {
            if (trace == null) {
                byEndpoint.remove(e.endpointId());
            } else {
                byEndpoint.put(e.endpointId(), trace);
            }
        } else if (event instanceof EndpointReleased r) {
            byEndpoint.remove(r.endpointId());
        }
    }

    /** The trace a report on {@code status}'s endpoint continues, or null. */
    public TraceParent of(EndpointStatus status) {
        TraceParent allocation = byEndpoint.get(status.endpointId());
        return allocation == null ? null : allocation.child();
    }
}
