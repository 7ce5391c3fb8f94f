package io.netplane.agent.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the desired state was read and a reconcile pass went through. */
@Readiness
@ApplicationScoped
public class AgentReadiness implements HealthCheck {

    @Inject
    AgentService service;

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("host-agent");
        if (!service.enabled()) {
            return builder.up().withData("agent", "disabled").build();
        }
        return service.runtime().map(r -> {
            builder.status(r.ready());
            if (r.lastError() != null) {
                builder.withData("lastError", r.lastError());
            }
            return builder.build();
        }).orElseGet(() -> builder.down().build());
    }
}
