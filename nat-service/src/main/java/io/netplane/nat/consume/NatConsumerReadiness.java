package io.netplane.nat.consume;

import io.netplane.messaging.consume.EventConsumer;
import io.netplane.messaging.quarkus.ConsumerReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.Readiness;

/** Ready once nat's consumer has caught up: until then rulesets may be stale. */
@Readiness
@ApplicationScoped
public class NatConsumerReadiness extends ConsumerReadiness {

    @Inject
    EventIntake intake;

    @Override
    protected String checkName() {
        return "nat-consumer";
    }

    @Override
    protected EventConsumer consumer() {
        return intake.consumer();
    }
}
