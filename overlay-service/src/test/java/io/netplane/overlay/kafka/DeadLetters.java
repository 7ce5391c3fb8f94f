package io.netplane.overlay.kafka;

import io.netplane.events.Topic;
import io.netplane.events.kafka.EventRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the dead-letter topic from the beginning: the reason recorded per rejected key. */
public final class DeadLetters implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, String> reasons = new ConcurrentHashMap<>();

    public DeadLetters(String bootstrap) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(Topic.DEAD_LETTER.topicName())
                .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls once more and answers the reason given for the record with this key, if any yet. */
    public Optional<String> reasonFor(String key) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            if (r.key() != null) {
                reasons.put(r.key(), String.valueOf(EventRecords.header(r.headers(), EventRecords.DLQ_REASON)));
            }
        }
        return Optional.ofNullable(reasons.get(key));
    }

    @Override
    public void close() {
        consumer.close();
    }
}
