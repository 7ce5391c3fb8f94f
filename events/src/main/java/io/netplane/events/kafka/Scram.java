package io.netplane.events.kafka;

import java.util.Map;

/** The client side of SASL/SCRAM-SHA-512 over plain TCP, the way netplane's broker authenticates. */
public final class Scram {

    public static final String MECHANISM = "SCRAM-SHA-512";

    private Scram() {
    }

    /** What a Kafka client of {@code user} sets besides {@code bootstrap.servers}. */
    public static Map<String, String> clientConfig(String user, String password) {
        return Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + jaasQuoted(user) + "\" password=\"" + jaasQuoted(password) + "\";");
    }

    private static String jaasQuoted(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a Kafka user name and password are required");
        }
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
