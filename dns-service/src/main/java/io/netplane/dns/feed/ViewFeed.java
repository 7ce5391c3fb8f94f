package io.netplane.dns.feed;

import io.netplane.dns.view.View;
import io.netplane.dns.view.ViewState;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.Topic;
import io.netplane.events.kafka.EventRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Keeps the DNS view current from the compacted {@code networks} and {@code endpoints} topics.
 * Every start reads them from the beginning (no consumer group, no committed offsets: the view
 * lives in memory only), notes the end offsets that existed at start, and reports caught up once
 * it has read that far. A record that cannot be decoded goes to {@code dead-letter} with the
 * reason, and reading goes on.
 */
public final class ViewFeed implements Runnable, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ViewFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final List<String> TOPICS = List.of(Topic.NETWORKS.topicName(), Topic.ENDPOINTS.topicName());
    private static final String SOURCE = "/netplane/dns-service";

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> deadLetters;
    private final ViewState state = new ViewState();
    private final Consumer<View> publish;
    private final Thread thread;
    private volatile boolean caughtUp;
    private volatile boolean running = true;

    public ViewFeed(String bootstrap, Consumer<View> publish) {
        this.publish = publish;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "dns-service-view");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(c);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "dns-service-dead-letters");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.deadLetters = new KafkaProducer<>(p);
        this.thread = new Thread(this, "dns-view-feed");
        thread.setDaemon(true);
    }

    public ViewFeed start() {
        thread.start();
        return this;
    }

    /** True once everything that was on the topics at start has been applied. */
    public boolean caughtUp() {
        return caughtUp;
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endAtStart = endOffsets(partitions);
            while (running) {
                boolean changed = false;
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    changed |= apply(record);
                }
                boolean caughtUpNow = !caughtUp && reached(endAtStart);
                View published = null;
                if (changed || caughtUpNow) {
                    published = state.snapshot();
                    publish.accept(published);
                }
                if (caughtUpNow) {
                    // only after the view holds everything: readiness must not say UP before answers are right
                    caughtUp = true;
                    LOG.infof("DNS view caught up: %d endpoints", published.endpointCount());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("DNS view feed stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
            deadLetters.close(Duration.ofSeconds(2));
        }
    }

    /** The partitions of both topics, waiting (through broker outages) until both exist. */
    private List<TopicPartition> awaitPartitions() {
        while (true) {
            List<TopicPartition> partitions = new ArrayList<>();
            try {
                for (String topic : TOPICS) {
                    List<PartitionInfo> infos = consumer.partitionsFor(topic, POLL.multipliedBy(50));
                    if (infos != null) {
                        infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                    }
                }
            } catch (TimeoutException e) {
                partitions.clear();
            }
            if (partitions.stream().map(TopicPartition::topic).distinct().count() == TOPICS.size()) {
                return partitions;
            }
            LOG.infof("waiting for topics %s", TOPICS);
            sleep();
        }
    }

    private Map<TopicPartition, Long> endOffsets(List<TopicPartition> partitions) {
        while (true) {
            try {
                return consumer.endOffsets(partitions, POLL.multipliedBy(50));
            } catch (TimeoutException e) {
                LOG.info("waiting for the broker to give end offsets");
            }
        }
    }

    private boolean apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return record.key() != null && state.forget(record.key());
        }
        try {
            NetplaneEvent event = EventRecords.decode(record);
            return state.apply(event);
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.warnf("%s-%d@%d to dead-letter: %s", record.topic(), record.partition(), record.offset(), reason);
            deadLetters.send(EventRecords.deadLetter(record, SOURCE + ": " + reason));
            return false;
        }
    }

    private boolean reached(Map<TopicPartition, Long> endAtStart) {
        for (Map.Entry<TopicPartition, Long> e : endAtStart.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
