package io.netplane.overlay.service;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.OverlayMesh;
import io.netplane.events.Topic;
import io.netplane.messaging.consume.EventConsumer;
import io.netplane.messaging.quarkus.KafkaClientConfig;
import io.netplane.overlay.engine.OverlayEngine;
import io.netplane.overlay.model.MeshModel;
import io.netplane.overlay.store.OverlayStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The running overlay service: consumes networks, endpoints and hosts, sweeps silent hosts, and
 * answers the ops API from the same engine. Changes are serialised by one lock held across each
 * whole transaction, so mesh revisions reach the outbox in the order they were assigned.
 */
@ApplicationScoped
public class OverlayService {

    private static final Logger LOG = Logger.getLogger(OverlayService.class);

    @Inject
    DataSource dataSource;

    @Inject
    MeshTransactions transactions;

    @Inject
    KafkaClientConfig kafka;

    @ConfigProperty(name = "quarkus.flyway.schemas", defaultValue = "overlay")
    String schema;

    @ConfigProperty(name = "netplane.overlay.host-down-after", defaultValue = "30s")
    Duration hostDownAfter;

    @ConfigProperty(name = "netplane.overlay.consumer-group", defaultValue = "overlay-service")
    String consumerGroup;

    private final ReentrantLock lock = new ReentrantLock();
    private OverlayEngine engine;
    private EventConsumer consumer;

    @Inject
    MeterRegistry metrics;

    private Counter meshesPublished;

    void start(@Observes StartupEvent startup) {
        engine = new OverlayEngine(new OverlayStore(schema), Clock.systemUTC(), hostDownAfter);
        meshesPublished = metrics.counter("netplane.overlay.meshes.published");
        metrics.gauge("netplane.overlay.hosts.up", this,
                s -> s.read(model -> model.hosts().stream().filter(h -> h.up()).count()));
        metrics.gauge("netplane.overlay.networks", this, s -> s.read(MeshModel::networkCount));
        metrics.gauge("netplane.overlay.endpoints", this, s -> s.read(MeshModel::endpointCount));
        consumer = EventConsumer.builder().kafka(kafka.properties()).groupId(consumerGroup).name("overlay")
                .topics(Topic.NETWORKS, Topic.ENDPOINTS, Topic.HOSTS).handler((event, record) -> handle(event))
                .build().start().bindTo(metrics);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (consumer != null) {
            consumer.close();
        }
    }

    /** Applies one event and publishes the network meshes it changed; on failure the engine reloads. */
    public int handle(NetplaneEvent event) throws SQLException {
        lock.lock();
        try {
            int published = transactions.apply(engine, event);
            meshesPublished.increment(published);
            return published;
        } catch (SQLException | RuntimeException e) {
            engine.invalidate();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    @Scheduled(every = "${netplane.overlay.sweep-every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (consumer == null || !consumer.caughtUp()) {
            // After a stop, the backlog holds the heartbeats sent meanwhile: judging hosts before
            // reading it would mark every host down and flap all meshes.
            return;
        }
        lock.lock();
        try {
            int published = transactions.markSilentHostsDown(engine);
            meshesPublished.increment(published);
            if (published > 0) {
                LOG.infof("hosts silent for %s marked down; %d network meshes republished", hostDownAfter, published);
            }
        } catch (SQLException | RuntimeException e) {
            engine.invalidate();
            LOG.warnf(e, "host sweep failed; it runs again in the next period");
        } finally {
            lock.unlock();
        }
    }

    public <T> T read(Function<MeshModel, T> query) {
        lock.lock();
        try (Connection c = dataSource.getConnection()) {
            return engine.read(c, query);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the overlay state", e);
        } finally {
            lock.unlock();
        }
    }

    public Optional<OverlayMesh> currentMesh(String hostId) {
        lock.lock();
        try (Connection c = dataSource.getConnection()) {
            return engine.currentMesh(c, hostId);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the overlay state", e);
        } finally {
            lock.unlock();
        }
    }

    /** The event consumer, for health and tests. */
    public EventConsumer consumer() {
        return consumer;
    }
}
