package io.netplane.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.events.EndpointStatus;
import io.netplane.events.model.EndpointState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LocalReportsTest {

    private static EndpointStatus report(String endpoint, long revision, EndpointState state) {
        return new EndpointStatus(endpoint, 1, Instant.now(), EndpointStatus.SCHEMA_VERSION, "h1", revision, state,
                state == EndpointState.FAILED ? "no such namespace" : null);
    }

    @Test
    void aWaitIsWokenByTheReportOfItsEndpointAtItsRevision() throws Exception {
        LocalReports reports = new LocalReports();
        CompletableFuture<Optional<EndpointStatus>> wait = CompletableFuture.supplyAsync(
                () -> reports.await("e1", 2, Duration.ofSeconds(30)));
        reports.reported(List.of(report("e2", 2, EndpointState.APPLIED), report("e1", 1, EndpointState.APPLIED)));
        assertThat(wait).as("another endpoint, or an older revision, does not answer it").isNotDone();
        reports.reported(List.of(report("e1", 2, EndpointState.FAILED)));
        assertThat(wait.get().orElseThrow().state()).isEqualTo(EndpointState.FAILED);
    }

    @Test
    void aReportMadeBeforeTheWaitIsStillSeenAndNoneIsEmpty() {
        LocalReports reports = new LocalReports();
        reports.reported(List.of(report("e1", 3, EndpointState.APPLIED)));
        assertThat(reports.await("e1", 3, Duration.ZERO).orElseThrow().state()).isEqualTo(EndpointState.APPLIED);
        assertThat(reports.await("e1", 4, Duration.ofMillis(50))).isEmpty();
        reports.reported(List.of(report("e3", 1, EndpointState.REMOVED)));
        assertThat(reports.await("e3", 1, Duration.ofMillis(50))).as("a removal is not an answer to ADD").isEmpty();
    }
}
