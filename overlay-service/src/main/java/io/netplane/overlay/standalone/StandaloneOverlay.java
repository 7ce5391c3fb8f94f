package io.netplane.overlay.standalone;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.OverlayMesh;
import io.netplane.events.Topic;
import io.netplane.messaging.consume.EventConsumer;
import io.netplane.messaging.outbox.OutboxRelay;
import io.netplane.messaging.outbox.OutboxSchema;
import io.netplane.messaging.outbox.OutboxWriter;
import io.netplane.overlay.engine.OverlayEngine;
import io.netplane.overlay.store.OverlayStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The overlay core wired with plain classes, no Quarkus: the same engine, store, outbox and
 * consumer the service uses, against a given database schema and broker. Lets a test stop the
 * service mid-stream and start another on the same state, and lets the benchmark drive it.
 */
public final class StandaloneOverlay implements AutoCloseable {

    private final DataSource dataSource;
    private final OverlayEngine engine;
    private final OutboxWriter outbox;
    private final OutboxRelay relay;
    private final EventConsumer consumer;
    private final ScheduledExecutorService sweeper;

    /**
     * {@code kafka} is the client properties (broker and credentials, see {@code KafkaClientProperties});
     * {@code source} is the CloudEvents source of the meshes it publishes, e.g. "/netplane/overlay-service".
     */
    public StandaloneOverlay(DataSource dataSource, String schema, Map<String, ?> kafka, String groupId, String source,
            Duration hostDownAfter, Duration sweepEvery) throws SQLException {
        this.dataSource = dataSource;
        Flyway.configure().dataSource(dataSource).schemas(schema).locations(OverlayStore.MIGRATIONS).load()
                .migrate();
        try (Connection c = dataSource.getConnection()) {
            OutboxSchema.ensure(c, schema);
        }
        engine = new OverlayEngine(new OverlayStore(schema), Clock.systemUTC(), hostDownAfter);
        outbox = new OutboxWriter(schema, source);
        relay = new OutboxRelay(dataSource, schema, kafka);
        relay.start();
        consumer = EventConsumer.builder().kafka(kafka).groupId(groupId).name("overlay-" + schema)
                .topics(Topic.NETWORKS, Topic.ENDPOINTS, Topic.HOSTS).handler((event, record) -> handle(event))
                .build().start();
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "overlay-sweep-" + schema);
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, sweepEvery.toMillis(), sweepEvery.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Applies one event in its own transaction and appends the changed meshes to the outbox. */
    public synchronized int handle(NetplaneEvent event) throws SQLException {
        return inTransaction(c -> engine.apply(c, event));
    }

    public synchronized int sweep() throws SQLException {
        return inTransaction(engine::markSilentHostsDown);
    }

    public EventConsumer consumer() {
        return consumer;
    }

    public long published() {
        return relay.published();
    }

    private interface Change {
        List<OverlayMesh> run(Connection c) throws SQLException;
    }

    private int inTransaction(Change change) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<OverlayMesh> meshes = change.run(c);
                for (OverlayMesh m : meshes) {
                    outbox.append(c, m);
                }
                c.commit();
                return meshes.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                engine.invalidate();
                throw e;
            }
        }
    }

    private void sweepQuietly() {
        if (!consumer.caughtUp()) {
            return; // heartbeats sent while this was stopped are still to be read
        }
        try {
            sweep();
        } catch (SQLException | RuntimeException e) {
            // the next period tries again; the engine has reloaded its state
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        consumer.close();
        relay.close();
    }
}
