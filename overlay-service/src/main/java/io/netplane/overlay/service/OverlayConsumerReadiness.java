package io.netplane.overlay.service;

import io.netplane.messaging.consume.EventConsumer;
import io.netplane.messaging.quarkus.ConsumerReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.Readiness;

/** Ready once overlay's consumer has caught up: until then meshes may be stale. */
@Readiness
@ApplicationScoped
public class OverlayConsumerReadiness extends ConsumerReadiness {

    @Inject
    OverlayService overlay;

    @Override
    protected String checkName() {
        return "overlay-consumer";
    }

    @Override
    protected EventConsumer consumer() {
        return overlay.consumer();
    }
}
