package io.netplane.nat.consume;

import io.micrometer.core.instrument.MeterRegistry;
import io.netplane.events.Topic;
import io.netplane.messaging.consume.EventConsumer;
import io.netplane.messaging.quarkus.KafkaClientConfig;
import io.netplane.nat.apply.EventApplier;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads the networks, endpoints and hosts topics (the last for the ports each host's own processes
 * hold) one record at a time, in order per key, with
 * messaging's {@link EventConsumer}: a record that does not decode goes to the dead-letter topic
 * with the reason; a record that fails to apply (the database is down, say) is retried until it
 * applies, so an outage delays the rulesets but loses nothing.
 */
@ApplicationScoped
public class EventIntake {

    @Inject
    EventApplier applier;

    @Inject
    MeterRegistry metrics;

    @Inject
    KafkaClientConfig kafka;

    @ConfigProperty(name = "netplane.nat.consumer-group", defaultValue = "nat-service")
    String consumerGroup;

    private volatile EventConsumer consumer;

    void start(@Observes StartupEvent startup) {
        consumer = EventConsumer.builder().kafka(kafka.properties()).groupId(consumerGroup).name("nat")
                .topics(Topic.NETWORKS, Topic.ENDPOINTS, Topic.HOSTS).handler((event, record) -> applier.apply(event))
                .build().start().bindTo(metrics);
        metrics.gauge("netplane.nat.events.handled", consumer, EventConsumer::handled);
        metrics.gauge("netplane.nat.events.dead.lettered", consumer, EventConsumer::deadLettered);
        metrics.gauge("netplane.nat.events.failed.attempts", consumer, EventConsumer::failedAttempts);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (consumer != null) {
            consumer.close();
        }
    }

    /** Null until the application has started. */
    public EventConsumer consumer() {
        return consumer;
    }
}
