package io.netplane.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {

    private static Map<String, String> from(Map<String, String> config) {
        return KafkaClientProperties.from(config.keySet(), name -> Optional.ofNullable(config.get(name)));
    }

    @Test
    void everyKafkaPropertyLosesItsPrefixAndNothingElseIsTaken() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", "b:9092");
        config.put("kafka.security.protocol", "SASL_PLAINTEXT");
        config.put("quarkus.kafka.devservices.enabled", "false");
        config.put("mp.messaging.incoming.commands.topic", "commands");
        config.put("%test.kafka.bootstrap.servers", "other:1");
        config.put("kafka-streams.application.id", "x");

        assertThat(from(config)).containsExactlyInAnyOrderEntriesOf(
                Map.of("bootstrap.servers", "b:9092", "security.protocol", "SASL_PLAINTEXT"));
    }

    @Test
    void environmentVariablesNameTheSameProperties() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", "b:9092");
        config.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        config.put("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required;");

        assertThat(from(config)).containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }

    @Test
    void theDottedNameWinsOverItsEnvironmentForm() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("KAFKA_BOOTSTRAP_SERVERS", "env:9092");
        config.put("kafka.bootstrap.servers", "dotted:9092");

        assertThat(from(config)).containsEntry("bootstrap.servers", "dotted:9092");
    }

    @Test
    void aConfigurationWithoutABrokerIsRefusedSayingWhatToSet() {
        assertThatThrownBy(() -> from(Map.of("kafka.security.protocol", "SASL_PLAINTEXT")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka.bootstrap.servers").hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
    }
}
