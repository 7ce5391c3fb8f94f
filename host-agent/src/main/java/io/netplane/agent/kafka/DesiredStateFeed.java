package io.netplane.agent.kafka;

import io.netplane.agent.reconcile.DesiredStateStore;
import io.netplane.events.MalformedEventException;
import io.netplane.events.Topic;
import io.netplane.events.kafka.EventRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads the compacted state topics from the beginning (no consumer group: every agent needs
 * the whole state, and rebuilding it on start is what makes a restart safe) into the desired
 * state store. Malformed records go to the dead-letter topic with the reason. Runs on its own
 * platform thread started from the agent's own namespace.
 */
public final class DesiredStateFeed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DesiredStateFeed.class);
    static final List<Topic> TOPICS = List.of(Topic.NETWORKS, Topic.CONTAINERS, Topic.ENDPOINTS, Topic.NAT_RULES,
            Topic.OVERLAY_MESH);

    private final KafkaConsumer<String, byte[]> consumer;
    private final DesiredStateStore store;
    private final AgentPublisher publisher;
    private final Runnable onChange;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    public DesiredStateFeed(String bootstrap, DesiredStateStore store, AgentPublisher publisher, Runnable onChange) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.store = store;
        this.publisher = publisher;
        this.onChange = onChange;
        this.thread = new Thread(this::run, "desired-state-feed");
        this.thread.setDaemon(true);
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

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic t : TOPICS) {
                for (PartitionInfo info : consumer.partitionsFor(t.topicName(), Duration.ofMinutes(5))) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (running) {
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
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("desired-state feed stopped", e);
        } finally {
            consumer.close();
        }
    }

    private boolean handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return false; // tombstone: removals arrive as events
        }
        try {
            return store.apply(EventRecords.decode(record));
        } catch (MalformedEventException | IllegalArgumentException e) {
            LOG.warnf("malformed record on %s at %d: %s", record.topic(), record.offset(), e.getMessage());
            publisher.deadLetter(record, e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
