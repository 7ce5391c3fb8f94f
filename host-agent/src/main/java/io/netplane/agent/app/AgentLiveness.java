package io.netplane.agent.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the desired-state feed and the reconcile loop run. Either ending (an Error, an
 * interrupt) leaves an agent that applies nothing new however long it waits, so the orchestrator
 * must restart it; a broker outage does not end them (the feed retries).
 */
@Liveness
@ApplicationScoped
public class AgentLiveness implements HealthCheck {

    @Inject
    AgentService service;

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("host-agent-threads");
        if (!service.enabled()) {
            return builder.up().withData("agent", "disabled").build();
        }
        return service.runtime().map(r -> builder.status(r.alive())
                .withData("refusedRecords", r.refusedRecords())
                .withData("malformedRecords", r.malformedRecords()).build())
                .orElseGet(() -> builder.down().withData("agent", "not started").build());
    }
}
