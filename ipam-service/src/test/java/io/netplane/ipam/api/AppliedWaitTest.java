package io.netplane.ipam.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.ipam.api.Views.EndpointView;
import io.netplane.ipam.service.StatusSignal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** At most {@link AppliedWait#MAX_WAITING} requests hold a worker thread waiting; the next one is answered at once. */
class AppliedWaitTest {

    private static EndpointView endpoint(String id, boolean applied) {
        return new EndpointView(id, "c1", "web", "n1", "bridge", "h1", "eth0", null, null, null, List.of(), List.of(),
                List.of(), false, false, 1, applied, applied ? "APPLIED" : null, null);
    }

    @Test
    void aRequestBeyondTheWaitingLimitIsAnsweredWithoutWaitingAndThePlacesComeBack() throws Exception {
        AppliedWait appliedWait = new AppliedWait();
        appliedWait.reports = new StatusSignal();
        CountDownLatch allWaiting = new CountDownLatch(AppliedWait.MAX_WAITING);
        CountDownLatch agentApplies = new CountDownLatch(1);
        Function<String, EndpointView> heldRead = id -> {
            allWaiting.countDown();
            try {
                agentApplies.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return endpoint(id, true);
        };
        ExecutorService workers = Executors.newFixedThreadPool(AppliedWait.MAX_WAITING);
        try {
            List<Future<Boolean>> waiting = new ArrayList<>();
            for (int i = 0; i < AppliedWait.MAX_WAITING; i++) {
                String id = "e" + i;
                waiting.add(workers.submit(() -> appliedWait.allApplied(List.of(id), heldRead, Duration.ofSeconds(60))));
            }
            assertThat(allWaiting.await(1, TimeUnit.MINUTES)).isTrue();

            AtomicInteger reads = new AtomicInteger();
            Function<String, EndpointView> countedRead = id -> {
                reads.incrementAndGet();
                return endpoint(id, true);
            };
            assertThat(appliedWait.allApplied(List.of("late"), countedRead, Duration.ofSeconds(60))).isFalse();
            assertThat(reads).hasValue(0);

            agentApplies.countDown();
            for (Future<Boolean> w : waiting) {
                assertThat(w.get()).isTrue();
            }
            assertThat(appliedWait.allApplied(List.of("later"), countedRead, Duration.ofSeconds(60))).isTrue();
            assertThat(reads).hasValue(1);
        } finally {
            workers.shutdownNow();
        }
    }
}
