package io.netplane.bench.faults;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Waiting for a check to find nothing wrong, and how long that took from a given moment. */
final class Recovery {

    /** Problems seen now; empty once everything is as it should be. */
    @FunctionalInterface
    interface Check {
        List<String> problems() throws Exception;
    }

    /** {@code took} from the moment given until the check passed; {@code remaining} what it still found if it never did. */
    record Result(Duration took, List<String> remaining) {
        boolean recovered() {
            return remaining.isEmpty();
        }
    }

    private Recovery() {
    }

    static Result await(long sinceNanos, Duration atMost, Check check) {
        AtomicReference<List<String>> last = new AtomicReference<>(List.of());
        try {
            Awaitility.await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        List<String> problems;
                        try {
                            problems = check.problems();
                        } catch (Exception e) {
                            problems = List.of("the check failed: " + e);
                        }
                        last.set(problems);
                        return problems.isEmpty();
                    });
            return new Result(Duration.ofNanos(System.nanoTime() - sinceNanos), List.of());
        } catch (ConditionTimeoutException e) {
            return new Result(Duration.ofNanos(System.nanoTime() - sinceNanos), last.get());
        }
    }
}
