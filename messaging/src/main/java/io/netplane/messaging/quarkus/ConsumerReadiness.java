package io.netplane.messaging.quarkus;

import io.netplane.messaging.consume.EventConsumer;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A service's readiness on its {@link EventConsumer}: ready once the consumer has read what was
 * waiting at start (until then, what the service publishes may be stale), with its counters as
 * data. A service subclasses it as a {@code @Readiness} bean naming its consumer.
 */
public abstract class ConsumerReadiness implements HealthCheck {

    /** The check's name in /q/health. */
    protected abstract String checkName();

    /** The service's consumer; null until the application has started. */
    protected abstract EventConsumer consumer();

    @Override
    public HealthCheckResponse call() {
        EventConsumer consumer = consumer();
        boolean ready = consumer != null && consumer.caughtUp();
        return HealthCheckResponse.named(checkName()).status(ready)
                .withData("handled", consumer == null ? 0 : consumer.handled())
                .withData("deadLettered", consumer == null ? 0 : consumer.deadLettered())
                .withData("failedAttempts", consumer == null ? 0 : consumer.failedAttempts()).build();
    }
}
