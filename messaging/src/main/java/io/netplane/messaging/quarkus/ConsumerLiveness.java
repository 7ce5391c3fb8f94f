package io.netplane.messaging.quarkus;

import io.netplane.messaging.consume.EventConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the thread of every consumer a service reports readiness on (its
 * {@link ConsumerReadiness} beans) still runs. A consumer that retries (broker down, handler
 * failing) stays live: that shows in readiness and metrics. One whose thread ended (an
 * {@link Error}, an interrupt) never reads again, so the service must be restarted: DOWN.
 */
@Liveness
@ApplicationScoped
public class ConsumerLiveness implements HealthCheck {

    @Inject
    @Any
    Instance<ConsumerReadiness> services;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("event-consumers").up();
        for (ConsumerReadiness service : services) {
            EventConsumer consumer = service.consumer();
            if (consumer == null) {
                response.withData(service.checkName(), "starting");
            } else if (consumer.alive()) {
                response.withData(service.checkName(), "running");
            } else {
                response.down().withData(service.checkName(), "stopped: "
                        + consumer.death().map(Throwable::toString).orElse("closed"));
            }
        }
        return response.build();
    }
}
