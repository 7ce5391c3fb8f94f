package io.netplane.events.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The Kafka client properties of a service or agent, taken from its configuration: every
 * property under {@code kafka.}, prefix removed ({@code kafka.security.protocol} becomes
 * {@code security.protocol}), as SmallRye's Kafka channels read them. An environment variable
 * counts too ({@code KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}), so a container is
 * given its broker and credentials without a file. The configuration says where the broker is
 * and who the client is; each client still sets how it behaves (group, acks, offsets) on top.
 */
public final class KafkaClientProperties {

    public static final String PREFIX = "kafka.";
    private static final String ENV_PREFIX = "kafka_";
    public static final String BOOTSTRAP = "bootstrap.servers";

    private KafkaClientProperties() {
    }

    /**
     * The properties among {@code names} (all of a configuration's names) that start with
     * {@code kafka.} or {@code KAFKA_}, each valued by {@code lookup}; {@code bootstrap.servers}
     * is required. A name in both forms gives one property, the dotted one's value.
     */
    public static Map<String, String> from(Iterable<String> names, Function<String, Optional<String>> lookup) {
        Map<String, String> properties = new TreeMap<>();
        Map<String, String> fromEnvironment = new TreeMap<>();
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(PREFIX) && lower.length() > PREFIX.length()) {
                lookup.apply(name).ifPresent(v -> properties.put(name.substring(PREFIX.length()), v));
            } else if (lower.startsWith(ENV_PREFIX) && lower.length() > ENV_PREFIX.length()) {
                String key = lower.substring(ENV_PREFIX.length()).replace('_', '.');
                lookup.apply(name).ifPresent(v -> fromEnvironment.put(key, v));
            }
        }
        fromEnvironment.forEach(properties::putIfAbsent);
        if (properties.getOrDefault(BOOTSTRAP, "").isBlank()) {
            throw new IllegalArgumentException("no Kafka broker configured: set " + PREFIX + BOOTSTRAP
                    + " (environment KAFKA_BOOTSTRAP_SERVERS)");
        }
        return Map.copyOf(properties);
    }

    /** The client properties for a broker that needs no credentials (PLAINTEXT, no ACLs): just where it is. */
    public static Map<String, String> plaintext(String bootstrap) {
        return Map.of(BOOTSTRAP, bootstrap);
    }
}
