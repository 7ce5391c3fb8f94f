package io.netplane.messaging.outbox;

import io.netplane.events.EventType;
import io.netplane.events.MalformedEventException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * Publishes committed outbox rows to Kafka in id order and marks them sent.
 *
 * <p>One relay per schema is active at a time (a session advisory lock; another process takes
 * over when the holder's connection dies), so rows are never published out of order by two
 * relays. It wakes on the writers' NOTIFY and also polls, uses an idempotent producer with
 * acks=all, and rides out a broker outage: rows stay unsent and are retried, with backoff, until
 * the broker acknowledges them. Delivery is at least once; consumers drop repeated revisions.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration PURGE_AFTER = Duration.ofHours(1);
    private static final Duration GIVE_UP = Duration.ofMinutes(2);

    private final DataSource dataSource;
    private final String schema;
    private final String bootstrap;
    private final AtomicLong published = new AtomicLong();
    private final String claimSql;
    private final String markSql;
    private final String purgeSql;
    private volatile boolean running;
    private Thread thread;
    private KafkaProducer<String, byte[]> producer;

    public OutboxRelay(DataSource dataSource, String schema, String kafkaBootstrap) {
        this.dataSource = dataSource;
        this.schema = OutboxSchema.identifier(schema);
        this.bootstrap = kafkaBootstrap;
        this.claimSql = "SELECT id, event_id, topic, record_key, ce_type, ce_source, occurred_at, payload FROM "
                + this.schema + ".outbox WHERE sent_at IS NULL ORDER BY id LIMIT " + BATCH;
        this.markSql = "UPDATE " + this.schema + ".outbox SET sent_at = now() WHERE id = ANY(?)";
        this.purgeSql = "DELETE FROM " + this.schema + ".outbox WHERE sent_at < now() - interval '"
                + PURGE_AFTER.toSeconds() + " seconds'";
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "outbox-relay-" + schema);
        thread.setDaemon(true);
        thread.start();
    }

    /** Rows published and acknowledged since start. */
    public long published() {
        return published.get();
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeProducer();
    }

    private void run() {
        long backoffMs = 100;
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                listen(c);
                awaitLeadership(c);
                long lastPurge = System.nanoTime();
                while (running) {
                    while (running && relayBatch(c) > 0) {
                        backoffMs = 100;
                    }
                    if (System.nanoTime() - lastPurge > TimeUnit.MINUTES.toNanos(1)) {
                        purge(c);
                        lastPurge = System.nanoTime();
                    }
                    awaitNotification(c);
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warnf("outbox relay %s: %s; retrying in %d ms", schema, e.getMessage(), backoffMs);
                closeProducer();
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    private void listen(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + OutboxSchema.channel(schema));
        }
    }

    /** Blocks until this relay holds the schema's relay lock (released when its connection closes). */
    private void awaitLeadership(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            ps.setString(1, "netplane-outbox-relay-" + schema);
            while (running) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return;
                    }
                }
                sleep(POLL.toMillis());
            }
        }
    }

    private int relayBatch(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>();
        List<Future<?>> acks = new ArrayList<>();
        KafkaProducer<String, byte[]> p = producer();
        // The first failed record closes the producer at once (close from a callback aborts), so no
        // later record of the batch can reach the topic ahead of it: the batch is resent whole.
        Callback abortOnFailure = (metadata, error) -> {
            if (error != null) {
                p.close(Duration.ZERO);
            }
        };
        try (PreparedStatement ps = c.prepareStatement(claimSql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
                Future<?> ack = p.send(record(rs), abortOnFailure);
                acks.add(ack);
                if (ack.isDone()) {
                    awaitAck(ack); // failed at once (e.g. no metadata): stop sending this batch
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        for (Future<?> ack : acks) {
            awaitAck(ack);
        }
        try (PreparedStatement ps = c.prepareStatement(markSql)) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.executeUpdate();
        }
        published.addAndGet(ids.size());
        return ids.size();
    }

    private static void awaitAck(Future<?> ack) {
        try {
            ack.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker");
        } catch (java.util.concurrent.ExecutionException e) {
            // Nothing of this batch is marked sent; it is sent again, in order, once the broker is back.
            throw new IllegalStateException("broker did not acknowledge: " + e.getCause().getMessage(), e);
        }
    }

    private static ProducerRecord<String, byte[]> record(ResultSet rs) throws SQLException {
        String ceType = rs.getString(5);
        EventType type = EventType.byCeType(ceType)
                .orElseThrow(() -> new MalformedEventException("outbox row of unknown type " + ceType));
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(rs.getString(3), rs.getString(4), rs.getBytes(8));
        OutboxWriter.cloudEvent((UUID) rs.getObject(2), rs.getString(6), ceType,
                rs.getTimestamp(7).toInstant(), rs.getString(4), type)
                .toHeaders().forEach((k, v) -> r.headers().add(k, v));
        return r;
    }

    private void awaitNotification(Connection c) throws SQLException {
        // Any notification (or the poll timeout) just means "look again"; the payload is unused.
        c.unwrap(PGConnection.class).getNotifications((int) POLL.toMillis());
    }

    private void purge(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate(purgeSql);
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            // One idempotent producer keeps a key's records in order through an outage while it retries;
            // only after this long is a batch given up and sent again from the first unsent row.
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(GIVE_UP.toMillis()));
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
            p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                // Abort, never flush: a late tail of a failed batch would land after the resent head, out of order.
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debugf("closing producer: %s", e.getMessage());
            }
            producer = null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
