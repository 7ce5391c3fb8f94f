package io.netplane.agent.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.netplane.agent.reconcile.ReconcileMetrics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reconcile loop's meters, tagged with the host: {@code netplane.agent.event.to.kernel}
 * (histogram), {@code netplane.agent.drift.repairs} by kind, {@code netplane.agent.firewall.apply}
 * (histogram) and the gauge {@code netplane.agent.firewall.rules}. All are registered at start, so
 * a dashboard finds them (at zero) before the first change.
 */
final class AgentMetrics implements ReconcileMetrics {

    private final Timer eventToKernel;
    private final Counter endpointRepairs;
    private final Counter firewallRepairs;
    private final Timer firewallApply;
    private final AtomicInteger rules = new AtomicInteger();

    AgentMetrics(MeterRegistry registry, String hostId) {
        eventToKernel = Timer.builder("netplane.agent.event.to.kernel").tag("host", hostId)
                .description("from an endpoint's event (committed by ipam-service) to its wiring in this host's kernel")
                .publishPercentileHistogram().register(registry);
        endpointRepairs = repairs(registry, hostId, "endpoint");
        firewallRepairs = repairs(registry, hostId, "firewall");
        firewallApply = Timer.builder("netplane.agent.firewall.apply").tag("host", hostId)
                .description("time to write the NAT ruleset to iptables").publishPercentileHistogram().register(registry);
        registry.gauge("netplane.agent.firewall.rules", Tags.of("host", hostId), rules);
    }

    private static Counter repairs(MeterRegistry registry, String hostId, String kind) {
        return Counter.builder("netplane.agent.drift.repairs").tag("host", hostId).tag("kind", kind)
                .description("what the agent had set up, found changed or gone, and set up again").register(registry);
    }

    @Override
    public void endpointApplied(Duration sinceEvent) {
        eventToKernel.record(sinceEvent.isNegative() ? Duration.ZERO : sinceEvent);
    }

    @Override
    public void driftRepaired(String what) {
        ("firewall".equals(what) ? firewallRepairs : endpointRepairs).increment();
    }

    @Override
    public void firewallApplied(Duration took, int count) {
        firewallApply.record(took);
        rules.set(count);
    }
}
