package io.netplane.nat.consume;

import io.netplane.messaging.consume.EventConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the consumer has read what was waiting at start: until then rulesets may be stale. */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {

    @Inject
    EventIntake intake;

    @Override
    public HealthCheckResponse call() {
        EventConsumer consumer = intake.consumer();
        boolean ready = consumer != null && consumer.caughtUp();
        return HealthCheckResponse.named("nat-consumer").status(ready)
                .withData("handled", consumer == null ? 0 : consumer.handled())
                .withData("failedAttempts", consumer == null ? 0 : consumer.failedAttempts()).build();
    }
}
