package io.netplane.agent.reconcile;

import java.time.Duration;

/** What a reconcile pass reports for operators; the application binds it to Micrometer. */
public interface ReconcileMetrics {

    ReconcileMetrics NONE = new ReconcileMetrics() {
        @Override
        public void endpointApplied(Duration sinceEvent) {
        }

        @Override
        public void driftRepaired(String what) {
        }

        @Override
        public void firewallApplied(Duration took, int rules) {
        }
    };

    /** An endpoint revision reached the kernel: the time since its event was committed. */
    void endpointApplied(Duration sinceEvent);

    /** Something this agent had set up was found changed or gone and set up again ("endpoint" or "firewall"). */
    void driftRepaired(String what);

    /**
     * The ruleset was written to iptables: how long that took, and how many rules netplane has
     * there now (its chains' rules and the jumps to them).
     */
    void firewallApplied(Duration took, int rules);
}
