package io.netplane.console.timing;

import io.netplane.console.history.Change;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointStatus;
import io.netplane.events.model.EndpointState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where one connect (an endpoint's allocation) spent its time, from what the events carry: the
 * event's own time (ipam-service's clock inside the transaction that committed it), the Kafka
 * timestamp of its record (the outbox relay's clock when it sent it), the console's clock when it
 * read it, the agent's report time (its clock once the kernel matched) and the Kafka timestamp of
 * that report. Each step names the step it follows from and how long after it came; the clocks
 * are different machines' in a real deployment, so a step across machines includes their skew.
 * {@code traceId}: the W3C trace the connect's REST call started or continued (null when its
 * record carried none); each step names the trace its record carried, so a report of another
 * trace (another change of the same endpoint) shows as such.
 */
public record ConnectTimeline(String endpointId, String container, String network, String host, long revision,
        String traceId, List<Step> steps) {

    /**
     * {@code after}: the step this one follows from, null for the first; {@code millis}: time since
     * it; {@code traceId}: the trace of the record the step is read from.
     */
    public record Step(String name, String at, String after, Long millis, String traceId) {
    }

    public static final String COMMITTED = "committed by ipam-service (event time)";
    public static final String PUBLISHED = "published to Kafka by the outbox relay (record timestamp)";
    public static final String RECEIVED = "received by console-service";
    public static final String APPLIED = "applied in the kernel by the agent of ";
    public static final String FAILED = "refused by the agent of ";
    public static final String REPORTED = "reported on agent-status (record timestamp)";

    /**
     * The timeline of the newest allocation of {@code endpointId} in {@code changes} (that endpoint's
     * changes and its agent's reports, oldest first); empty if no allocation is among them.
     */
    public static Optional<ConnectTimeline> of(String endpointId, List<Change> changes) {
        Optional<Change> allocation = changes.stream().filter(c -> c.event() instanceof EndpointAllocated)
                .reduce((first, second) -> second);
        if (allocation.isEmpty()) {
            return Optional.empty();
        }
        Change a = allocation.get();
        EndpointAllocated e = (EndpointAllocated) a.event();
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(COMMITTED, e.time().toString(), null, null, a.traceId()));
        steps.add(step(PUBLISHED, a.published(), COMMITTED, e.time(), a.traceId()));
        steps.add(step(RECEIVED, a.received(), PUBLISHED, a.published(), a.traceId()));
        changes.stream().filter(c -> c.event() instanceof EndpointStatus s && s.endpointRevision() == e.revision()
                && s.state() != EndpointState.REMOVED).findFirst().ifPresent(report -> {
                    EndpointStatus s = (EndpointStatus) report.event();
                    String applied = (s.state() == EndpointState.APPLIED ? APPLIED : FAILED) + s.hostId();
                    steps.add(step(applied, s.time(), PUBLISHED, a.published(), report.traceId()));
                    steps.add(step(REPORTED, report.published(), applied, s.time(), report.traceId()));
                });
        return Optional.of(new ConnectTimeline(endpointId, e.containerName(), e.networkName(), e.hostId(),
                e.revision(), a.traceId(), steps));
    }

    /** In whole milliseconds, the resolution of Kafka's timestamps, so a same-millisecond step is +0, not -1. */
    private static Step step(String name, Instant at, String after, Instant from, String traceId) {
        return new Step(name, at.toString(), after,
                Duration.between(from.truncatedTo(ChronoUnit.MILLIS), at.truncatedTo(ChronoUnit.MILLIS)).toMillis(),
                traceId);
    }
}
