package io.netplane.agent.kafka;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.MeterRegistry;
import io.netplane.agent.reconcile.DesiredStateStore;
import io.netplane.agent.trust.RecordCheck;
import io.netplane.agent.trust.RefusedRecord;
import io.netplane.events.MalformedEventException;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.Topic;
import io.netplane.events.kafka.EventRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads the compacted state topics from the beginning (no consumer group: every agent needs
 * the whole state, and rebuilding it on start is what makes a restart safe) into the desired
 * state store. Malformed records, and records that ask for what the agent refuses to do as root
 * ({@link RecordCheck}), go to the dead-letter topic with the reason. Runs on its own platform
 * thread started from the agent's own namespace.
 */
public final class DesiredStateFeed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DesiredStateFeed.class);
    static final List<Topic> TOPICS = List.of(Topic.NETWORKS, Topic.CONTAINERS, Topic.ENDPOINTS, Topic.NAT_RULES,
            Topic.OVERLAY_MESH);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;
    private final DesiredStateStore store;
    private final AgentPublisher publisher;
    private final EndpointTraces traces;
    private final Runnable onChange;

    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public DesiredStateFeed(Map<String, ?> kafka, String hostId, DesiredStateStore store, AgentPublisher publisher,
            EndpointTraces traces, Runnable onChange) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.store = store;
        this.publisher = publisher;
        this.traces = traces;
        this.onChange = onChange;
        this.thread = new Thread(this::run, "desired-state-feed-" + hostId);
        this.thread.setDaemon(true);
    }

    /** Publishes the Kafka client's own metrics (consumer lag among them) on {@code registry}, tagged {@code consumer=agent}. */
    public void bindTo(MeterRegistry registry) {
        new KafkaClientMetrics(consumer, Tags.of("consumer", "agent")).bindTo(registry);
    }

    public void start() {
        thread.start();
    }

    /** Waits until everything that existed on the topics at start has been read. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** True while the reading thread runs (also while it waits to retry); false once it ended. */
    public boolean alive() {
        return thread.isAlive();
    }

    /** Records dead-lettered because the agent refused what they ask (see {@link RecordCheck}). */
    public long refused() {
        return refused.get();
    }

    /** Records dead-lettered because they could not be read as events. */
    public long malformed() {
        return malformed.get();
    }

    /**
     * Reads until closed. A failure outside the handling of one record (broker gone, topic
     * missing, metadata timeout) is logged and retried with backoff, never the end of the thread:
     * only close() or an interrupt ends it, and {@link #alive()} says so to the liveness check.
     */
    private void run() {
        Map<TopicPartition, Long> ends = null;
        Duration backoff = FIRST_BACKOFF;
        try {
            while (running) {
                try {
                    if (ends == null) {
                        ends = assignFromTheBeginning();
                    }
                    poll(ends);
                    backoff = FIRST_BACKOFF;
                } catch (WakeupException e) {
                    // close(): the loop condition ends the thread
                } catch (InterruptException e) {
                    throw new InterruptedException(e.getMessage());
                } catch (RuntimeException e) {
                    LOG.warnf(e, "desired-state feed: %s; retrying in %s", e.getMessage(), backoff);
                    closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            }
        } catch (InterruptedException e) {
            if (running) {
                LOG.error("desired-state feed interrupted: it stops, and liveness reports it");
            }
            Thread.interrupted(); // Kafka's InterruptException sets the flag again; close the consumer cleanly
        } catch (Throwable e) {
            LOG.error("desired-state feed stopped", e);
            throw e;
        } finally {
            consumer.close();
        }
    }

    private Map<TopicPartition, Long> assignFromTheBeginning() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic t : TOPICS) {
            List<PartitionInfo> infos = consumer.partitionsFor(t.topicName(), Duration.ofMinutes(5));
            if (infos == null || infos.isEmpty()) {
                // not created yet: reading the others alone would count as caught up without them
                throw new IllegalStateException("topic " + t.topicName() + " has no partitions yet");
            }
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer.endOffsets(partitions);
    }

    private void poll(Map<TopicPartition, Long> ends) {
        boolean changed = false;
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            changed |= handle(record);
        }
        if (caughtUp.getCount() > 0 && ends.entrySet().stream()
                .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            caughtUp.countDown();
            changed = true;
        }
        if (changed && caughtUp.getCount() == 0) {
            onChange.run();
        }
    }

    /**
     * Folds one record in, unless it is malformed or asks for what the agent refuses: then it is
     * dead-lettered with the reason, logged and counted, and the desired state keeps what it had
     * (the last good firewall document stays applied).
     */
    private boolean handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return false; // tombstone: removals arrive as events
        }
        try {
            NetplaneEvent event = EventRecords.decode(record);
            if (store.concerns(event)) {
                RecordCheck.check(event);
            }
            traces.seen(event, EventRecords.trace(record.headers()).orElse(null));
            return store.apply(event);
        } catch (RefusedRecord e) {
            refused.incrementAndGet();
            return deadLetter(record, "refused", e.getMessage());
        } catch (MalformedEventException | IllegalArgumentException e) {
            malformed.incrementAndGet();
            return deadLetter(record, "malformed", e.getMessage());
        } catch (RuntimeException e) {
            malformed.incrementAndGet();
            return deadLetter(record, "unreadable", e.toString());
        }
    }

    private boolean deadLetter(ConsumerRecord<String, byte[]> record, String what, String reason) {
        LOG.warnf("%s record on %s-%d at %d, dead-lettered: %s", what, record.topic(), record.partition(),
                record.offset(), reason);
        publisher.deadLetter(record, reason);
        return false;
    }

    @Override
    public void close() {
        running = false;
        closing.countDown();
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
