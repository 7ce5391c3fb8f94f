package io.netplane.agent.reconcile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the reconciler reported to its metrics, kept for a test to read. */
final class RecordedMetrics implements ReconcileMetrics {

    final List<Duration> applied = new ArrayList<>();
    final List<String> repaired = new ArrayList<>();
    final List<Integer> firewallRules = new ArrayList<>();

    @Override
    public void endpointApplied(Duration sinceEvent) {
        applied.add(sinceEvent);
    }

    @Override
    public void driftRepaired(String what) {
        repaired.add(what);
    }

    @Override
    public void firewallApplied(Duration took, int rules) {
        firewallRules.add(rules);
    }
}
