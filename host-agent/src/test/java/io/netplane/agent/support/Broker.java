package io.netplane.agent.support;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.Topic;
import io.netplane.events.kafka.EventRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The real broker as a test drives it: publishes events as the services would and reads topics back. */
public final class Broker implements AutoCloseable {

    public static final Duration PATIENCE = Duration.ofSeconds(90);

    private final String bootstrap;
    private final KafkaProducer<String, byte[]> producer;

    public Broker(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("linger.ms", 0);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public void publish(NetplaneEvent e) {
        send(EventRecords.toRecord(e, "/test"));
    }

    public void send(org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Reads a topic from the beginning until {@code done} holds for what was read (or the patience runs out). */
    public List<ConsumerRecord<String, byte[]>> awaitRecords(Topic topic,
            Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("enable.auto.commit", false);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic.topicName()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!done.test(seen) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(300)).forEach(seen::add);
            }
            return seen;
        }
    }

    public static List<NetplaneEvent> decoded(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(EventRecords::decode).toList();
    }

    @Override
    public void close() {
        producer.close();
    }
}
