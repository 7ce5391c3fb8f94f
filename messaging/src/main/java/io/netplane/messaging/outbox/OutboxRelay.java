package io.netplane.messaging.outbox;

import io.netplane.events.Topic;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
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
 *
 * <p>A row that can never be published (too large for the producer or its topic, an unknown
 * {@code ce_type}, any other non-retriable refusal, see {@link Refusals}) must not hold up the rows
 * behind it: it goes to the dead-letter topic with the reason, is marked {@code dead_lettered_at} /
 * {@code failure} (and kept, with its whole payload, past the purge), is logged and counted, and
 * the relay goes on from the first unsent row.
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
    private final Map<String, ?> kafka;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final String claimSql;
    private final String markSql;
    private final String deadLetterSql;
    private final String purgeSql;
    private volatile boolean running;
    private Thread thread;
    private KafkaProducer<String, byte[]> producer;

    /**
     * {@code kafka} is the client's {@code bootstrap.servers} and, on a secured broker, its
     * credentials (see {@link io.netplane.events.kafka.KafkaClientProperties}); the relay sets
     * its producer's delivery settings over them.
     */
    public OutboxRelay(DataSource dataSource, String schema, Map<String, ?> kafka) {
        this.dataSource = dataSource;
        this.schema = OutboxSchema.identifier(schema);
        this.kafka = Map.copyOf(kafka);
        this.claimSql = "SELECT " + OutboxRow.COLUMNS + " FROM " + this.schema
                + ".outbox WHERE sent_at IS NULL AND dead_lettered_at IS NULL ORDER BY id LIMIT " + BATCH;
        this.markSql = "UPDATE " + this.schema + ".outbox SET sent_at = now() WHERE id = ANY(?)";
        this.deadLetterSql = "UPDATE " + this.schema + ".outbox SET dead_lettered_at = now(), failure = ? WHERE id = ?";
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

    /** Rows refused for good since start, each sent to dead-letter and marked in the outbox. */
    public long deadLettered() {
        return deadLettered.get();
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
        List<OutboxRow> rows = new ArrayList<>();
        List<Future<?>> acks = new ArrayList<>();
        AtomicReference<Failure> first = new AtomicReference<>();
        KafkaProducer<String, byte[]> p = producer();
        try (PreparedStatement ps = c.prepareStatement(claimSql); ResultSet rs = ps.executeQuery()) {
            while (first.get() == null && rs.next()) {
                OutboxRow row = OutboxRow.read(rs);
                int index = rows.size();
                rows.add(row);
                try {
                    // The first failed record closes the producer at once (close from a callback aborts), so
                    // no later record of the batch can reach the topic ahead of it. A record the producer
                    // refuses before sending (too large, no metadata) is called back here, synchronously.
                    acks.add(p.send(row.toRecord(), (metadata, error) -> {
                        if (error != null) {
                            first.compareAndSet(null, new Failure(index, error));
                            p.close(Duration.ZERO);
                        }
                    }));
                } catch (RuntimeException e) {
                    // Not sent: an unknown ce_type, or send() threw (maybe closed by an earlier failure).
                    first.compareAndSet(null, new Failure(index, e));
                    acks.add(CompletableFuture.failedFuture(e));
                }
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        List<Long> acked = new ArrayList<>();
        for (int i = 0; i < acks.size(); i++) {
            if (acknowledged(acks.get(i))) {
                acked.add(rows.get(i).id());
            }
        }
        Failure failure = first.get();
        if (failure == null) {
            markSent(c, acked);
            return acked.size();
        }
        closeProducer();
        if (!running || !Refusals.refusedForGood(failure.error())) {
            // Nothing of this batch is marked sent; it is sent again, in order, once the broker is back.
            throw new IllegalStateException("broker did not acknowledge: " + failure.error().getMessage(),
                    failure.error());
        }
        // Rows after the refused one may be on the broker already, but a row of the same key before them
        // may have been aborted: only the acknowledged rows before it are marked, the rest are sent again
        // (consumers drop the repeated revisions) from the first unsent row, so no key is reordered.
        OutboxRow refused = rows.get(failure.index());
        markSent(c, acked.stream().filter(id -> id < refused.id()).toList());
        deadLetter(c, refused, reason(refused, failure.error()));
        return failure.index() + 1;
    }

    private record Failure(int index, Throwable error) {
    }

    private static boolean acknowledged(Future<?> ack) {
        try {
            ack.get();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker");
        } catch (ExecutionException e) {
            return false; // the batch's first failure says what to do
        }
    }

    private void markSent(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(markSql)) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.executeUpdate();
        }
        published.addAndGet(ids.size());
    }

    /** Publishes the row's dead letter and marks the row, which stays in the outbox: the purge skips it. */
    private void deadLetter(Connection c, OutboxRow row, String reason) throws SQLException {
        String failure = reason;
        try {
            producer().send(row.deadLetter(schema, reason)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a dead letter");
        } catch (ExecutionException e) {
            if (!Refusals.refusedForGood(e.getCause())) {
                throw new IllegalStateException("cannot write the dead letter of outbox row " + row.id() + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
            // A dead-letter topic that refuses it too must not hold up the outbox: the row and the log keep it.
            failure = reason + "; " + Topic.DEAD_LETTER.topicName() + " refused it too: " + e.getCause().getMessage();
        }
        try (PreparedStatement ps = c.prepareStatement(deadLetterSql)) {
            ps.setString(1, failure);
            ps.setLong(2, row.id());
            ps.executeUpdate();
        }
        deadLettered.incrementAndGet();
        LOG.warnf("outbox relay %s: row %d (topic %s, key %s, type %s) refused for good, dead-lettered: %s",
                schema, row.id(), row.topic(), row.key(), row.ceType(), failure);
    }

    /** Why the row was refused; a size refusal from the broker does not name the size, so add it. */
    private static String reason(OutboxRow row, Throwable error) {
        String reason = error.getClass().getSimpleName() + ": " + error.getMessage();
        if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException) {
            reason += " (payload of " + row.payload().length + " bytes)";
        }
        return reason;
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
            p.putAll(kafka);
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
