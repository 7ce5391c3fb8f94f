package io.netplane.dns.feed;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.MeterRegistry;
import io.netplane.dns.view.View;
import io.netplane.dns.view.ViewState;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.Topic;
import io.netplane.events.kafka.EventRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
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
 * reason, and reading goes on. Start waits for the broker and the topics; a broker outage later
 * is waited out: the thread ends only when closed, interrupted or on an {@link Error}.
 */
public final class ViewFeed implements Runnable, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ViewFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final List<String> TOPICS = List.of(Topic.NETWORKS.topicName(), Topic.ENDPOINTS.topicName());
    private static final String SOURCE = "/netplane/dns-service";
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    private static final long FIRST_BACKOFF_MS = 200;
    private static final long MAX_BACKOFF_MS = 5000;

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> deadLetters;
    private final ViewState state = new ViewState();
    private final Consumer<View> publish;
    private final Thread thread;
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile Throwable death;

    /** {@code kafka}: the client properties, broker and credentials (see {@code KafkaClientProperties}). */
    public ViewFeed(Map<String, ?> kafka, Consumer<View> publish) {
        this.publish = publish;
        Properties c = new Properties();
        c.putAll(kafka);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "dns-service-view");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(c);
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "dns-service-dead-letters");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.deadLetters = new KafkaProducer<>(p);
        this.thread = new Thread(this, "dns-view-feed");
        thread.setDaemon(true);
    }

    /** Publishes the Kafka client's own metrics (consumer lag among them) on {@code registry}, tagged {@code consumer=dns}. */
    public ViewFeed bindTo(MeterRegistry registry) {
        new KafkaClientMetrics(consumer, Tags.of("consumer", "dns")).bindTo(registry);
        return this;
    }

    public ViewFeed start() {
        thread.start();
        return this;
    }

    /** True once everything that was on the topics at start has been applied. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * True while the feed's thread runs. Retrying through a broker outage keeps it alive; only
     * {@link #close}, an interrupt or an {@link Error} ends it, and then the view never changes again.
     */
    public boolean alive() {
        return thread.isAlive();
    }

    /** What ended the thread other than {@link #close}, if anything did. */
    public Optional<Throwable> death() {
        return Optional.ofNullable(death);
    }

    @Override
    public void run() {
        try {
            Map<TopicPartition, Long> endAtStart = assignFromBeginning();
            long backoff = FIRST_BACKOFF_MS;
            while (running) {
                try {
                    pollOnce(endAtStart);
                    backoff = FIRST_BACKOFF_MS;
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // the broker went away (timeouts): what was applied stays applied; wait and read on
                    LOG.warnf("DNS view feed: %s; retrying in %d ms", e.getMessage(), backoff);
                    backoff = pause(backoff);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptException e) {
            death = e;
            Thread.interrupted(); // cleared, or closing the clients below would throw again
            LOG.error("DNS view feed: its thread was interrupted; it stops");
        } catch (Error e) {
            death = e;
            LOG.error("DNS view feed died", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
            deadLetters.close(Duration.ofSeconds(2));
        }
    }

    private void pollOnce(Map<TopicPartition, Long> endAtStart) {
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

    /**
     * Assigns every partition of both topics from the beginning and returns their end offsets at
     * start, waiting (through broker outages) until both topics exist and the broker answers.
     */
    private Map<TopicPartition, Long> assignFromBeginning() {
        long backoff = FIRST_BACKOFF_MS;
        while (true) {
            try {
                List<TopicPartition> partitions = partitions();
                if (partitions != null) {
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    return consumer.endOffsets(partitions, METADATA_TIMEOUT);
                }
                LOG.infof("waiting for topics %s; retrying in %d ms", TOPICS, backoff);
            } catch (WakeupException | InterruptException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.infof("waiting for the broker (%s); retrying in %d ms", e.getMessage(), backoff);
            }
            backoff = pause(backoff);
        }
    }

    /** Every partition of both topics, or null while one of them does not exist. */
    private List<TopicPartition> partitions() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return null;
            }
            infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
        return partitions;
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
            try {
                deadLetters.send(EventRecords.deadLetter(record, SOURCE + ": " + reason));
            } catch (RuntimeException notSent) {
                // Not thrown on: the records after this one in the poll are already past the position.
                LOG.warnf("%s-%d@%d not written to dead-letter: %s", record.topic(), record.partition(),
                        record.offset(), notSent.getMessage());
            }
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

    /** Waits {@code ms}; returns the next, doubled wait. An interrupt ends the feed. */
    private static long pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
        return Math.min(ms * 2, MAX_BACKOFF_MS);
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
