package io.netplane.bench.faults;

import io.netplane.events.Topic;
import io.netplane.events.codec.CloudEvent;
import io.netplane.events.kafka.EventRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every record the containers and endpoints topics receive about one host from now on, as it
 * arrives: read live rather than afterwards, because compaction may drop superseded revisions (and
 * with them any trace of a duplicate) from a closed segment. A plain assigned consumer, no group,
 * no revision gate: it must see redeliveries that a real consumer drops.
 */
final class TopicRecorder implements AutoCloseable {

    private static final List<Topic> TOPICS = List.of(Topic.CONTAINERS, Topic.ENDPOINTS);

    private final String bootstrap;
    private final String host;
    private final List<Change> changes = new ArrayList<>();
    private final List<String> undecodable = new ArrayList<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    private TopicRecorder(String bootstrap, String host) {
        this.bootstrap = bootstrap;
        this.host = host;
        this.thread = new Thread(this::loop, "topic-recorder-" + host);
    }

    static TopicRecorder start(String bootstrap, String host) {
        TopicRecorder r = new TopicRecorder(bootstrap, host);
        r.thread.start();
        r.awaitAssigned();
        return r;
    }

    synchronized List<Change> changes() {
        return List.copyOf(changes);
    }

    synchronized List<String> undecodable() {
        return List.copyOf(undecodable);
    }

    /** Whether every record on the topics now has been read (asks the broker for the end offsets). */
    boolean caughtUp() {
        try (KafkaConsumer<String, byte[]> probe = consumer()) {
            Map<TopicPartition, Long> ends = probe.endOffsets(partitions(probe), Duration.ofSeconds(10));
            return ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue());
        } catch (org.apache.kafka.common.KafkaException e) {
            return false; // the broker is not back yet
        }
    }

    private void loop() {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(p -> positions.put(p, consumer.position(p)));
            assigned.countDown();
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    take(record);
                }
                partitions.forEach(p -> positions.put(p, consumer.position(p)));
            }
        }
    }

    private synchronized void take(ConsumerRecord<String, byte[]> record) {
        try {
            Header id = record.headers().lastHeader(CloudEvent.H_ID);
            Change ch = Change.of(id == null ? null : new String(id.value(), StandardCharsets.UTF_8),
                    EventRecords.decode(record));
            if (ch != null && host.equals(ch.host())) {
                changes.add(ch);
            }
        } catch (RuntimeException e) {
            undecodable.add(record.topic() + "@" + record.offset() + ": " + e.getMessage());
        }
    }

    private void awaitAssigned() {
        try {
            if (!assigned.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the topic recorder could not reach the broker at " + bootstrap);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> out = new ArrayList<>();
        for (Topic t : TOPICS) {
            consumer.partitionsFor(t.topicName()).forEach(p -> out.add(new TopicPartition(p.topic(), p.partition())));
        }
        return out;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
