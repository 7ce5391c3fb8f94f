package io.netplane.bench.faults;

import java.time.Duration;
import java.util.List;

/**
 * One fault's figures: the load it held (calls and their outcomes), duplicates and losses (both
 * must be 0), records the broker delivered again (harmless: same event id), how long recovery took
 * and from what to what, and examples of anything wrong.
 */
record FaultReport(String fault, String load, long acknowledged, long refused, long unanswered, long duplicates,
        long losses, long redelivered, Duration recovery, String recoveryMeaning, boolean passed,
        List<String> problems) {

    String line() {
        return String.format("%s %s: %s; %d acknowledged, %d refused, %d unanswered; duplicates %d, losses %d"
                        + " (redelivered records %d); recovery %.1f s (%s)",
                passed ? "PASS" : "FAIL", fault, load, acknowledged, refused, unanswered, duplicates, losses,
                redelivered, recovery.toMillis() / 1000.0, recoveryMeaning);
    }
}
