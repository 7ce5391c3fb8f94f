package io.netplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.events.NetworkCreated;
import io.netplane.events.Topic;
import io.netplane.events.kafka.KafkaIdentity;
import io.netplane.events.kafka.KafkaRole;
import io.netplane.localcluster.junit.SecuredCluster;
import io.netplane.messaging.consume.EventConsumer;
import io.netplane.messaging.outbox.OutboxRelay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay and the consumer on the broker with ACLs, each given only its service's client
 * properties: ipam-service's relay publishes a network, nat-service's consumer (in a group of its
 * own name) reads it and dead-letters a record it cannot decode.
 */
class SecuredBrokerTest {

    private static final KafkaIdentity IPAM = KafkaIdentity.of(KafkaRole.IPAM_SERVICE);
    private static final KafkaIdentity NAT = KafkaIdentity.of(KafkaRole.NAT_SERVICE);

    @RegisterExtension
    static final SecuredCluster SECURED = new SecuredCluster();

    @Test
    void servicesPublishConsumeAndDeadLetterAsTheirOwnIdentities() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> seen = new CopyOnWriteArrayList<>();
        Demo ipam = new Demo(SECURED.cluster().dataSource());
        try (OutboxRelay relay = new OutboxRelay(SECURED.cluster().dataSource(), ipam.schema, SECURED.cluster().kafkaClientConfig(IPAM));
                EventConsumer nat = EventConsumer.builder().kafka(SECURED.cluster().kafkaClientConfig(NAT)).topics(Topic.NETWORKS)
                        .groupId("nat-service-" + run).name("nat")
                        .handler((event, record) -> seen.add(((NetworkCreated) event).name())).build();
                KafkaProducer<String, byte[]> ipamProducer = new KafkaProducer<>(Map.<String, Object>copyOf(
                        SECURED.cluster().kafkaClientConfig(IPAM)), new StringSerializer(), new ByteArraySerializer())) {
            relay.start();
            nat.start();
            ipam.change(run + "-net", "secured-" + run, true);
            ipamProducer.send(new ProducerRecord<>(Topic.NETWORKS.topicName(), run + "-garbage",
                    "{not json".getBytes(StandardCharsets.UTF_8))).get();

            await().atMost(Duration.ofSeconds(60)).until(() -> seen.contains("secured-" + run) && nat.deadLettered() == 1);
            assertThat(relay.published()).isEqualTo(1);
            assertThat(relay.deadLettered()).isZero();
        }
    }
}
