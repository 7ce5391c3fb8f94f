package io.netplane.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.events.Topic;
import io.netplane.events.validate.InvalidValueException;
import java.util.List;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class KafkaIdentityTest {

    @Test
    void everyTopicButDeadLetterHasExactlyOneWritingRole() {
        for (Topic t : Topic.values()) {
            if (t != Topic.DEAD_LETTER) {
                assertThat(KafkaRole.writersOf(t)).as(t.topicName()).hasSize(1);
            }
        }
        assertThat(KafkaRole.writersOf(Topic.NAT_RULES)).containsExactly(KafkaRole.NAT_SERVICE);
        assertThat(KafkaRole.writersOf(Topic.OVERLAY_MESH)).containsExactly(KafkaRole.OVERLAY_SERVICE);
        assertThat(KafkaRole.writersOf(Topic.COMMANDS)).containsExactly(KafkaRole.PIPELINE);
        assertThat(KafkaRole.HOST_AGENT.writes()).containsExactlyInAnyOrder(Topic.HOSTS, Topic.AGENT_STATUS,
                Topic.DEAD_LETTER);
        assertThat(KafkaRole.PIPELINE.writes()).containsExactly(Topic.COMMANDS);
        assertThat(KafkaRole.DNS_SERVICE.writes()).containsExactly(Topic.DEAD_LETTER);
        assertThat(KafkaRole.CONSOLE_SERVICE.writes()).containsExactly(Topic.DEAD_LETTER);
        assertThat(KafkaRole.CONSOLE_SERVICE.reads()).as("the console reads every state topic").containsExactlyInAnyOrder(
                Topic.NETWORKS, Topic.CONTAINERS, Topic.ENDPOINTS, Topic.HOSTS, Topic.NAT_RULES, Topic.OVERLAY_MESH,
                Topic.AGENT_STATUS);
    }

    @Test
    void everyTopicIsReadBySomeRole() {
        for (Topic t : Topic.values()) {
            if (t != Topic.DEAD_LETTER) {
                assertThat(List.of(KafkaRole.values())).as(t.topicName()).anyMatch(r -> r.reads().contains(t));
            }
        }
    }

    @Test
    void namesThePrincipalsAfterTheServicesAndTheHost() {
        assertThat(KafkaIdentity.fixed()).extracting(KafkaIdentity::name)
                .containsExactly("ipam-service", "nat-service", "overlay-service", "dns-service", "console-service",
                        "pipeline");
        assertThat(KafkaIdentity.agent("h1").principal()).isEqualTo("User:agent-h1");
        assertThatThrownBy(() -> KafkaIdentity.agent("h1\" password=\"x")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> KafkaIdentity.of(KafkaRole.HOST_AGENT)).hasMessageContaining("agent(hostId)");
    }

    @Test
    void aclsAllowTheRolesTopicsAndItsOwnGroups() {
        List<AclBinding> nat = KafkaIdentity.of(KafkaRole.NAT_SERVICE).aclBindings();
        assertThat(nat).allMatch(b -> b.entry().principal().equals("User:nat-service"));
        assertThat(nat).filteredOn(b -> b.entry().operation() == AclOperation.WRITE)
                .extracting(b -> b.pattern().name()).containsExactlyInAnyOrder("nat-rules", "dead-letter");
        assertThat(nat).filteredOn(b -> b.pattern().resourceType() == ResourceType.GROUP)
                .singleElement().satisfies(b -> {
                    assertThat(b.pattern().name()).isEqualTo("nat-service");
                    assertThat(b.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
                });
        // agent-h1's groups must not reach agent-h10's
        assertThat(KafkaIdentity.agent("h1").aclBindings()).filteredOn(b -> b.pattern().resourceType() == ResourceType.GROUP)
                .singleElement().satisfies(b -> assertThat(b.pattern().patternType()).isEqualTo(PatternType.LITERAL));
    }

    @Test
    void clientConfigCarriesThePasswordThroughTheJaasParserUnchanged() {
        String password = "p\"a\\ss word";
        Map<String, String> config = KafkaIdentity.agent("h1").clientConfig(password);
        assertThat(config).containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism",
                "SCRAM-SHA-512");
        JaasContext context = JaasContext.loadClientContext(
                Map.of("sasl.jaas.config", new Password(config.get("sasl.jaas.config"))));
        AppConfigurationEntry entry = context.configurationEntries().get(0);
        assertThat(entry.getOptions().get("username")).isEqualTo("agent-h1");
        assertThat(entry.getOptions().get("password")).isEqualTo(password);
    }
}
