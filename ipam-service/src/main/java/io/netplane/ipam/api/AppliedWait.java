package io.netplane.ipam.api;

import io.netplane.ipam.api.Views.EndpointView;
import io.netplane.ipam.core.IpamException;
import io.netplane.ipam.service.StatusSignal;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * {@code ?wait=true}: re-reads an endpoint until its host's agent has applied this revision, or
 * has reported an error. Reads the database, so it sees reports consumed by any service process;
 * it re-reads as soon as this process commits a report, and at the latest every 100 ms.
 */
final class AppliedWait {

    private static final Duration POLL = Duration.ofMillis(100);

    private AppliedWait() {
    }

    static EndpointView until(Supplier<EndpointView> read, StatusSignal reports, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            long seen = reports.version(); // before the read: a report committed after it wakes the wait below
            EndpointView e = read.get();
            if (e.applied()) {
                return e;
            }
            if ("FAILED".equals(e.agentState())) {
                throw new IpamException(409, "the agent on host " + e.hostId() + " could not apply endpoint "
                        + e.id() + " (" + e.containerName() + " on " + e.networkName() + "): " + e.agentError());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IpamException(408, "the agent on host " + e.hostId() + " has not applied endpoint "
                        + e.id() + " within " + timeout.toSeconds() + "s; is its agent running?");
            }
            try {
                reports.awaitAfter(seen, POLL.toMillis());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the agent", ie);
            }
        }
    }
}
