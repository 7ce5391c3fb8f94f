package io.netplane.ipam.api;

import io.netplane.ipam.api.Views.EndpointView;
import io.netplane.ipam.core.IpamException;
import io.netplane.ipam.service.StatusSignal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * {@code ?wait=true}: re-reads endpoints until their hosts' agents have applied this revision, or
 * one has reported an error, or the request's one deadline has passed. Reads the database, so it
 * sees reports consumed by any service process; it re-reads as soon as this process commits a
 * report, and at the latest every 100 ms.
 */
@ApplicationScoped
class AppliedWait {

    /**
     * Each waiting request holds a worker thread. Quarkus's worker pool has at least 200 threads;
     * at most this many wait at once, so clients that wait cannot starve everyone else. A request
     * beyond it is answered at once, as if its wait had timed out.
     */
    static final int MAX_WAITING = 32;

    private static final long POLL_MILLIS = 100;

    private final Semaphore waiting = new Semaphore(MAX_WAITING);

    @Inject
    StatusSignal reports;

    /**
     * Whether every endpoint was applied within {@code timeout}, in total for all of them; false
     * when the time ran out or too many requests were already waiting.
     *
     * @throws IpamException 409 when an agent reported that it could not apply one
     */
    boolean allApplied(List<String> endpointIds, Function<String, EndpointView> read, Duration timeout) {
        if (!waiting.tryAcquire()) {
            return false;
        }
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (String id : endpointIds) {
                if (!applied(id, read, deadline)) {
                    return false;
                }
            }
            return true;
        } finally {
            waiting.release();
        }
    }

    private boolean applied(String id, Function<String, EndpointView> read, long deadline) {
        while (true) {
            long seen = reports.version(); // before the read: a report committed after it wakes the wait below
            EndpointView e = read.apply(id);
            if (e.applied()) {
                return true;
            }
            if ("FAILED".equals(e.agentState())) {
                throw new IpamException(409, "the agent on host " + e.hostId() + " could not apply endpoint "
                        + e.id() + " (" + e.containerName() + " on " + e.networkName() + "): " + e.agentError());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                reports.awaitAfter(seen, Math.max(1, Math.min(POLL_MILLIS, left / 1_000_000)));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the agent", ie);
            }
        }
    }
}
