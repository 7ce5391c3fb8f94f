package io.netplane.agent.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netplane.events.HostHeartbeat;
import io.netplane.events.NatRuleset;
import io.netplane.events.kafka.KafkaIdentity;
import io.netplane.localcluster.junit.SecuredCluster;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent's own publisher, connected as the agent of h1 on the broker with ACLs: it reports
 * its host, and a ruleset it tries to write (as a hijacked agent would, to command every host's
 * firewall) is refused by the broker.
 */
class AgentPublisherAclTest {

    @RegisterExtension
    static final SecuredCluster SECURED = new SecuredCluster();

    @Test
    void anAgentReportsItsHostButIsRefusedWritingNatRules() {
        Instant now = Instant.now();
        try (AgentPublisher publisher = new AgentPublisher(SECURED.cluster().kafkaClientConfig(KafkaIdentity.agent("h1")), "h1")) {
            publisher.publish(new HostHeartbeat("h1", 1, now, HostHeartbeat.SCHEMA_VERSION, "192.0.2.11", "test", now));

            Throwable refused = catchThrowable(() -> publisher.publish(new NatRuleset("h2", 1, now,
                    NatRuleset.SCHEMA_VERSION, "*nat\n:NETPLANE - [0:0]\nCOMMIT\n", List.of(), List.of())));

            assertThat(refused).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot publish NatRuleset").hasMessageContaining("nat-rules")
                    .hasRootCauseInstanceOf(TopicAuthorizationException.class);
        }
    }
}
