package io.netplane.overlay.engine;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.OverlayMesh;
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
 * close. Remembers the newest mesh "published" per host, as a consumer of overlay-mesh would.
 */
final class EngineHarness implements AutoCloseable {

    final DataSource ds = LocalCluster.shared().dataSource();
    final String schema;
    final MutableClock clock = new MutableClock();
    final Map<String, OverlayMesh> published = new HashMap<>();
    final List<OverlayMesh> lastBatch = new ArrayList<>();
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

    List<OverlayMesh> apply(NetplaneEvent... events) throws SQLException {
        lastBatch.clear();
        for (NetplaneEvent e : events) {
            inTx(c -> record(engine.apply(c, e)));
        }
        return List.copyOf(lastBatch);
    }

    List<OverlayMesh> sweep() throws SQLException {
        lastBatch.clear();
        inTx(c -> record(engine.markSilentHostsDown(c)));
        return List.copyOf(lastBatch);
    }

    private void record(List<OverlayMesh> meshes) {
        lastBatch.addAll(meshes);
        for (OverlayMesh m : meshes) {
            OverlayMesh held = published.get(m.hostId());
            if (held != null && held.revision() >= m.revision()) {
                throw new AssertionError("mesh revision of " + m.hostId() + " did not grow: " + m.revision());
            }
            published.put(m.hostId(), m);
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
