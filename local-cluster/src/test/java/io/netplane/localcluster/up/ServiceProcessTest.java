package io.netplane.localcluster.up;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceProcessTest {

    @Test
    void aSecretTravelsInTheVariableMicroProfileConfigReadsForItsProperty() {
        assertThat(ServiceProcess.environmentName("kafka.sasl.jaas.config")).isEqualTo("KAFKA_SASL_JAAS_CONFIG");
        assertThat(ServiceProcess.environmentName("netplane.dns.identity-key")).isEqualTo("NETPLANE_DNS_IDENTITY_KEY");
    }
}
