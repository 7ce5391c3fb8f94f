package io.netplane.agent.kafka;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.codec.TraceParent;
import io.netplane.events.kafka.EventRecords;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * What the agent publishes: endpoint reports, heartbeats, dead letters. The agent has no
 * database, so no outbox: a plain idempotent producer (acks=all) that waits for each report,
 * so a report is never counted as delivered before the broker has it.
 */
public final class AgentPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AgentPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final String source;

    /** {@code kafka}: the client properties, broker and the host's credentials (see {@code KafkaClientProperties}). */
    public AgentPublisher(Map<String, ?> kafka, String hostId) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "host-agent-" + hostId);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.source = "/host-agent/" + hostId;
    }

    public void publish(NetplaneEvent event) {
        publish(event, null);
    }

    /** Publishes {@code event} as a step of {@code trace} (null: of none). */
    public void publish(NetplaneEvent event, TraceParent trace) {
        await(producer.send(EventRecords.traced(EventRecords.toRecord(event, source), trace)),
                "publish " + event.getClass().getSimpleName());
    }

    /**
     * Sends a refused record to the dead-letter topic without waiting: the reader that refused it
     * goes on whether or not the broker takes the letter now (the producer retries for its delivery
     * timeout). A letter that cannot be sent is logged, never thrown, so that a broker outage and a
     * bad record together cannot stop the reader for good.
     */
    public void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        try {
            producer.send(EventRecords.deadLetter(record, reason), (metadata, error) -> {
                if (error != null) {
                    LOG.warnf("dead letter for %s lost: %s", where, error.getMessage());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("dead letter for %s lost: %s", where, e.getMessage());
        }
    }

    private static void await(java.util.concurrent.Future<?> sent, String what) {
        try {
            sent.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
