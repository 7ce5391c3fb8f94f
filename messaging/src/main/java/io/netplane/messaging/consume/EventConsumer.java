package io.netplane.messaging.consume;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.netplane.events.MalformedEventException;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.codec.TraceParent;
import io.netplane.events.RevisionGate;
import io.netplane.events.Topic;
import io.netplane.events.kafka.EventRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * A Kafka consumer loop on its own thread that hands newer events to a handler.
 *
 * <ul>
 * <li>Decodes with {@link EventRecords}; a malformed record goes to the dead-letter topic with the
 * reason and the loop goes on.</li>
 * <li>Drops an event whose revision is not newer than the one held for its aggregate.</li>
 * <li>A handler failure is retried with backoff (the record is not skipped): state must not be lost.</li>
 * <li>Start waits, retrying, for the broker and for every topic to exist. After that only
 * {@link #close}, an interrupt or an {@link Error} ends the thread: {@link #alive} says whether it
 * still runs.</li>
 * <li>Without a group id it reads every partition from the beginning and commits nothing: the way
 * to rebuild a view from compacted topics at each start. {@link #awaitCaughtUp} says when
 * everything that existed at start has been handled.</li>
 * </ul>
 */
public final class EventConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    private final Builder config;
    private final RevisionGate gate = new RevisionGate();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> deadLetters;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable death;
    private volatile KafkaClientMetrics clientMetrics;
    private Map<TopicPartition, Long> startEnd;

    private EventConsumer(Builder b) {
        this.config = b;
        Properties c = new Properties();
        c.putAll(b.kafka);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        if (b.groupId != null) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, b.groupId);
        }
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        Properties p = new Properties();
        p.putAll(b.kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        deadLetters = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        thread = new Thread(this::run, "event-consumer-" + b.name);
        thread.setDaemon(true);
    }

    public static Builder builder() {
        return new Builder();
    }

    public EventConsumer start() {
        thread.start();
        return this;
    }

    /**
     * Publishes the Kafka client's own metrics (among them {@code records-lag-max}, the consumer
     * lag) on {@code registry}, tagged {@code consumer=<name>}; unbound on {@link #close}.
     */
    public EventConsumer bindTo(MeterRegistry registry) {
        KafkaClientMetrics bound = new KafkaClientMetrics(consumer, Tags.of("consumer", config.name));
        bound.bindTo(registry);
        clientMetrics = bound;
        return this;
    }

    /** True once every record that existed when the consumer started has been handled. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    public long handled() {
        return handled.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    /** Handler calls that threw and were retried (a database outage shows here, not as dead letters). */
    public long failedAttempts() {
        return failedAttempts.get();
    }

    /**
     * True while the consumer's thread runs. Retrying (broker down, handler failing) keeps it
     * alive; only {@link #close}, an interrupt or an {@link Error} ends it.
     */
    public boolean alive() {
        return thread.isAlive();
    }

    /** What ended the thread other than {@link #close}, if anything did. */
    public Optional<Throwable> death() {
        return Optional.ofNullable(death);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadLetters.close(Duration.ofSeconds(2));
        if (clientMetrics != null) {
            clientMetrics.close();
        }
    }

    private void run() {
        try {
            if (subscribe()) {
                consume();
            }
        } catch (WakeupException e) {
            // close() was called
        } catch (InterruptException e) {
            death = e;
            Thread.interrupted(); // cleared, or closing the consumer below would throw again
            LOG.errorf("consumer %s: its thread was interrupted; it stops", config.name);
        } catch (Error e) {
            // Nothing below this loop can restart it: the service's liveness check reports the death.
            death = e;
            LOG.errorf(e, "consumer %s died", config.name);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void consume() {
        Backoff backoff = new Backoff(100, 5000);
        while (running) {
            try {
                pollOnce();
                backoff.reset();
            } catch (WakeupException | InterruptException e) {
                throw e;
            } catch (RuntimeException e) {
                // A broker outage surfaces here (timeouts, failed commits): wait and go on, never give up.
                LOG.warnf("consumer %s: %s; retrying in %d ms", config.name, e.getMessage(), backoff.nextMillis());
                backoff.pause();
            }
        }
    }

    private void pollOnce() {
        var records = consumer.poll(POLL);
        for (ConsumerRecord<String, byte[]> r : records) {
            process(r);
        }
        if (config.groupId != null && !records.isEmpty()) {
            // Records are handled before their offsets are committed: at least once, never lost.
            consumer.commitSync();
        }
        checkCaughtUp();
    }

    /**
     * Assigns (without a group) or subscribes (with one) once every topic exists, retrying through
     * broker outages: a service may start before the broker or before the deployment made the
     * topics. False if closed meanwhile.
     */
    private boolean subscribe() {
        Backoff backoff = new Backoff(100, 5000);
        while (running) {
            try {
                List<TopicPartition> partitions = partitions();
                if (partitions != null) {
                    if (config.groupId == null) {
                        consumer.assign(partitions);
                        consumer.seekToBeginning(partitions);
                        startEnd = new HashMap<>(consumer.endOffsets(partitions));
                    } else {
                        consumer.subscribe(config.topics.stream().map(Topic::topicName).toList());
                    }
                    return true;
                }
                LOG.infof("consumer %s: waiting for topics %s; retrying in %d ms", config.name,
                        config.topics.stream().map(Topic::topicName).toList(), backoff.nextMillis());
            } catch (WakeupException | InterruptException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.warnf("consumer %s: cannot read the topics' partitions (%s); retrying in %d ms", config.name,
                        e.getMessage(), backoff.nextMillis());
            }
            backoff.pause();
        }
        return false;
    }

    /** Every partition of every topic, or null while one of the topics does not exist. */
    private List<TopicPartition> partitions() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic topic : config.topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.topicName(), METADATA_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return null;
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        return partitions;
    }

    private void checkCaughtUp() {
        if (caughtUp.getCount() == 0) {
            return;
        }
        if (startEnd == null) {
            if (consumer.assignment().isEmpty()) {
                return;
            }
            startEnd = new HashMap<>(consumer.endOffsets(consumer.assignment()));
        }
        for (var e : startEnd.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return;
            }
        }
        caughtUp.countDown();
    }

    private void process(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return; // a tombstone: nothing to apply
        }
        NetplaneEvent event;
        try {
            event = EventRecords.decode(r);
        } catch (MalformedEventException e) {
            deadLetter(r, e.getMessage());
            return;
        }
        // Topics keyed by the same id (networks and overlay-mesh are both keyed by network id) keep separate revisions.
        if (!gate.admit(r.topic() + "/" + event.aggregateId(), event.revision())) {
            return;
        }
        Backoff backoff = new Backoff(50, 5000);
        // The handler works as a step of the record's trace: what it commits to an outbox carries it on.
        TraceParent before = TraceParent.makeCurrent(EventRecords.trace(r.headers()).map(TraceParent::child).orElse(null));
        try {
            while (running) {
                try {
                    config.handler.handle(event, r);
                    handled.incrementAndGet();
                    return;
                } catch (Exception e) {
                    failedAttempts.incrementAndGet();
                    LOG.warnf("consumer %s: handling %s failed (%s); retrying in %d ms", config.name,
                            event.aggregateId(), e.getMessage(), backoff.nextMillis());
                    backoff.pause();
                }
            }
        } finally {
            TraceParent.makeCurrent(before);
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String reason) {
        LOG.warnf("consumer %s: %s-%d@%d is malformed (%s); sent to %s", config.name, r.topic(), r.partition(),
                r.offset(), reason, Topic.DEAD_LETTER.topicName());
        // Retried here, never thrown: the position is already past this poll's records, so
        // throwing would skip the rest of them and the next commit would lose them for good.
        Backoff backoff = new Backoff(50, 5000);
        while (running) {
            try {
                deadLetters.send(EventRecords.deadLetter(r, reason)).get(30, TimeUnit.SECONDS);
                deadLettered.incrementAndGet();
                return;
            } catch (InterruptedException e) {
                throw new InterruptException(e);
            } catch (Exception e) {
                LOG.warnf("consumer %s: cannot write to %s (%s); retrying in %d ms", config.name,
                        Topic.DEAD_LETTER.topicName(), e.getMessage(), backoff.nextMillis());
                backoff.pause();
            }
        }
    }

    public static final class Builder {
        private Map<String, ?> kafka;
        private List<Topic> topics = List.of();
        private String groupId;
        private EventHandler handler;
        private String name = "events";

        /**
         * Where the broker is and who the client is: {@code bootstrap.servers} and, on a secured
         * broker, the credentials (see {@link io.netplane.events.kafka.KafkaClientProperties}).
         * The consumer's own settings (group, offsets) are set over them.
         */
        public Builder kafka(Map<String, ?> clientProperties) {
            this.kafka = Map.copyOf(clientProperties);
            return this;
        }

        public Builder topics(Topic... topics) {
            this.topics = Arrays.asList(topics);
            return this;
        }

        /** With a group id, offsets are committed and a restart resumes; without, every start reads all. */
        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        public Builder handler(EventHandler handler) {
            this.handler = handler;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public EventConsumer build() {
            Objects.requireNonNull(kafka, "kafka client properties");
            Objects.requireNonNull(handler, "handler");
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("no topics");
            }
            return new EventConsumer(this);
        }
    }
}
