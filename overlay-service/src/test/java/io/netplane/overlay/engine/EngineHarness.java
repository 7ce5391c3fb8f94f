package io.netplane.overlay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.events.NetplaneEvent;

import io.netplane.events.OverlayMesh;
import io.netplane.events.OverlayNetworkMesh;
import io.netplane.overlay.model.HostEntry;
import io.netplane.overlay.model.MeshModel;
import io.netplane.localcluster.LocalCluster;
import io.netplane.overlay.store.OverlayStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The engine on the real PostgreSQL of local-cluster, in a schema of its own that is dropped on
 * close. Keeps the newest record "published" per network, as the compacted overlay-mesh topic
 * does, and after every change checks that each up host's mesh derived from those records (as its
 * agent derives it) equals the whole mesh the engine computes for the host.
 */
final class EngineHarness implements AutoCloseable {

    final DataSource ds = LocalCluster.shared().dataSource();
    final String schema;
    final MutableClock clock = new MutableClock();
    final Map<String, OverlayNetworkMesh> published = new HashMap<>();
    final List<OverlayNetworkMesh> lastBatch = new ArrayList<>();
    OverlayEngine engine;

    EngineHarness(String schema) {
        this.schema = schema;
        Flyway.configure().dataSource(ds).schemas(schema).locations(OverlayStore.MIGRATIONS).load().migrate();
        restart();
    }

    /** A new engine over the same database, as after a process restart. */
    void restart() {
        engine = new OverlayEngine(new OverlayStore(schema), clock, Duration.ofSeconds(30));
    }

    List<OverlayNetworkMesh> apply(NetplaneEvent... events) throws SQLException {
        lastBatch.clear();
        for (NetplaneEvent e : events) {
            inTx(c -> record(engine.apply(c, e)));
            checkAgainstWholeMeshes();
        }
        return List.copyOf(lastBatch);
    }

    List<OverlayNetworkMesh> sweep() throws SQLException {
        lastBatch.clear();
        inTx(c -> record(engine.markSilentHostsDown(c)));
        checkAgainstWholeMeshes();
        return List.copyOf(lastBatch);
    }

    /** The mesh the host's agent derives from the records published so far. */
    OverlayMesh mesh(String hostId) {
        return OverlayMesh.of(hostId, published.values());
    }

    private void record(List<OverlayNetworkMesh> records) {
        lastBatch.addAll(records);
        for (OverlayNetworkMesh r : records) {
            OverlayNetworkMesh held = published.get(r.networkId());
            if (held != null && held.revision() >= r.revision()) {
                throw new AssertionError("record revision of " + r.networkId() + " did not grow: " + r.revision());
            }
            published.put(r.networkId(), r);
        }
    }

    private void checkAgainstWholeMeshes() throws SQLException {
        try (Connection c = ds.getConnection()) {
            MeshModel model = engine.model(c);
            for (HostEntry host : model.hosts()) {
                if (host.up()) {
                    assertThat(mesh(host.hostId()).networks()).as("derived mesh of %s", host.hostId())
                            .isEqualTo(model.meshOf(host.hostId()));
                }
            }
        }
    }

    interface TxWork {
        void run(Connection c) throws SQLException;
    }

    void inTx(TxWork work) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                engine.invalidate();
                throw e;
            }
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
        }
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
