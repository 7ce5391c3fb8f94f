package io.netplane.overlay.service;

import io.netplane.messaging.consume.EventConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the consumer has read what was waiting at start: until then meshes may be stale. */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {

    @Inject
    OverlayService overlay;

    @Override
    public HealthCheckResponse call() {
        EventConsumer consumer = overlay.consumer();
        boolean ready = consumer != null && consumer.caughtUp();
        return HealthCheckResponse.named("overlay-consumer").status(ready)
                .withData("handled", consumer == null ? 0 : consumer.handled())
                .withData("deadLettered", consumer == null ? 0 : consumer.deadLettered()).build();
    }
}
