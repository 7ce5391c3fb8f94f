package io.netplane.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netplane.events.Topic;
import io.netplane.events.kafka.KafkaIdentity;
import io.netplane.events.kafka.KafkaRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.netplane.localcluster.junit.SecuredCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The secured broker with the real authorizer: each identity may do what KafkaRole says, nothing else. */
class KafkaAclTest {

    private static final KafkaIdentity AGENT_H1 = KafkaIdentity.agent("h1");
    private static final KafkaIdentity IPAM = KafkaIdentity.of(KafkaRole.IPAM_SERVICE);
    private static final KafkaIdentity NAT = KafkaIdentity.of(KafkaRole.NAT_SERVICE);
    private static final KafkaIdentity DNS = KafkaIdentity.of(KafkaRole.DNS_SERVICE);
    private static final KafkaIdentity PIPELINE = KafkaIdentity.of(KafkaRole.PIPELINE);

    @RegisterExtension
    static final SecuredCluster SECURED = new SecuredCluster();

    @Test
    void anAgentIsRefusedOnNatRulesWhichOnlyNatServiceWrites() throws Exception {
        assertThat(refusal(AGENT_H1, Topic.NAT_RULES)).as("agent-h1 writing nat-rules").isInstanceOf(TopicAuthorizationException.class)
                .hasMessageContaining("nat-rules");
        String ruleset = "ruleset-" + UUID.randomUUID();
        send(NAT, Topic.NAT_RULES, ruleset);
        // what the agent may do: report (an idempotent producer with Write on its topics, no Cluster ACL) and read its rules
        send(AGENT_H1, Topic.HOSTS, "heartbeat");
        send(AGENT_H1, Topic.AGENT_STATUS, "status");
        send(AGENT_H1, Topic.DEAD_LETTER, "refused record");
        assertThat(readFromTheStart(AGENT_H1, Topic.NAT_RULES, ruleset)).isTrue();
    }

    @Test
    void thePipelineMayWriteCommandsButNotNetworks() throws Exception {
        send(PIPELINE, Topic.COMMANDS, "create network");
        assertThat(refusal(PIPELINE, Topic.NETWORKS)).as("pipeline writing networks").isInstanceOf(TopicAuthorizationException.class)
                .hasMessageContaining("networks");
    }

    @Test
    void aClientWithAWrongPasswordIsRefused() {
        Map<String, Object> config = new HashMap<>(SECURED.cluster().kafkaClientConfig(NAT));
        config.putAll(NAT.clientConfig("not-the-password"));
        assertThat(refusal(config, Topic.NAT_RULES)).as("a wrong password").isInstanceOf(SaslAuthenticationException.class);
    }

    /** dns-service only reads; the one topic it writes is dead-letter, for records it cannot decode. */
    @Test
    void dnsServiceMayWriteNoTopicButDeadLetter() throws Exception {
        for (Topic t : Topic.values()) {
            if (t != Topic.DEAD_LETTER) {
                assertThat(refusal(DNS, t)).as("dns-service writing " + t.topicName())
                        .isInstanceOf(TopicAuthorizationException.class);
            }
        }
        send(DNS, Topic.DEAD_LETTER, "undecodable");
        assertThat(catchThrowable(() -> readFromTheStart(DNS, Topic.COMMANDS, "anything")))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void aServiceConsumesInItsOwnGroupsOnly() throws Exception {
        String network = "network-" + UUID.randomUUID();
        send(IPAM, Topic.NETWORKS, network);
        assertThat(readInGroup(NAT, "nat-service-" + UUID.randomUUID(), Topic.NETWORKS, network)).isTrue();
        assertThat(catchThrowable(() -> readInGroup(NAT, "ipam-service", Topic.NETWORKS, network)))
                .isInstanceOf(GroupAuthorizationException.class);
    }

    @Test
    void usersAndAclsSurviveABrokerRestart() throws Exception {
        SECURED.cluster().kafkaClientConfig(AGENT_H1);
        SECURED.cluster().stopKafka();
        SECURED.cluster().startKafka();
        send(AGENT_H1, Topic.HOSTS, "after restart");
        assertThat(refusal(AGENT_H1, Topic.NAT_RULES)).as("agent-h1 writing nat-rules after a restart")
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void theFilesHoldingPasswordsAreTheOwnersOnly() throws Exception {
        List<Path> secrets;
        try (var files = Files.walk(SECURED.dir())) {
            secrets = files.filter(f -> f.endsWith("kafka-secret") || f.endsWith("server.properties")).toList();
        }
        assertThat(secrets).hasSize(2);
        for (Path f : secrets) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                    .isEqualTo("rw-------");
        }
    }

    private static void send(KafkaIdentity identity, Topic topic, String value) throws Exception {
        try (KafkaProducer<String, String> producer = producer(new HashMap<>(SECURED.cluster().kafkaClientConfig(identity)))) {
            producer.send(new ProducerRecord<>(topic.topicName(), "h1", value)).get();
        }
    }

    private static Throwable refusal(KafkaIdentity identity, Topic topic) {
        return refusal(new HashMap<>(SECURED.cluster().kafkaClientConfig(identity)), topic);
    }

    private static Throwable refusal(Map<String, Object> config, Topic topic) {
        try (KafkaProducer<String, String> producer = producer(config)) {
            Throwable thrown = catchThrowable(() -> producer.send(new ProducerRecord<>(topic.topicName(), "h1", "x")).get());
            return thrown instanceof ExecutionException e ? e.getCause() : thrown;
        }
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> config) {
        config.put("acks", "all");
        config.put("enable.idempotence", "true");
        config.put("max.block.ms", "30000");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** Reads every partition from the start without a group, the way the agent and dns-service read. */
    private static boolean readFromTheStart(KafkaIdentity identity, Topic topic, String value) {
        try (KafkaConsumer<String, String> consumer = consumer(identity, null)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic.topicName())
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return pollFor(consumer, value);
        }
    }

    private static boolean readInGroup(KafkaIdentity identity, String group, Topic topic, String value) {
        try (KafkaConsumer<String, String> consumer = consumer(identity, group)) {
            consumer.subscribe(List.of(topic.topicName()));
            boolean seen = pollFor(consumer, value);
            consumer.commitSync();
            return seen;
        }
    }

    private static KafkaConsumer<String, String> consumer(KafkaIdentity identity, String group) {
        Map<String, Object> config = new HashMap<>(SECURED.cluster().kafkaClientConfig(identity));
        config.put("auto.offset.reset", "earliest");
        config.put("enable.auto.commit", "false");
        if (group != null) {
            config.put("group.id", group);
        }
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static boolean pollFor(KafkaConsumer<String, String> consumer, String value) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                if (value.equals(r.value())) {
                    return true;
                }
            }
        }
        return false;
    }
}
