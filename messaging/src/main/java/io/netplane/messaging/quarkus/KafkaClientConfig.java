package io.netplane.messaging.quarkus;

import io.netplane.events.kafka.KafkaClientProperties;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * The service's Kafka client properties, read once from its configuration (every {@code kafka.*}
 * property or {@code KAFKA_*} variable, see {@link KafkaClientProperties}): what the outbox relay
 * and the event consumers connect with, the same settings SmallRye's channels use.
 */
@ApplicationScoped
public class KafkaClientConfig {

    @Inject
    Config config;

    private Map<String, String> properties;

    @PostConstruct
    void read() {
        properties = KafkaClientProperties.from(config.getPropertyNames(),
                name -> config.getOptionalValue(name, String.class));
    }

    public Map<String, String> properties() {
        return properties;
    }
}
