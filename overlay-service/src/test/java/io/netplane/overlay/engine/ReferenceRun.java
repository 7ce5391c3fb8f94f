package io.netplane.overlay.engine;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.OverlayMesh;
import java.sql.SQLException;
import java.util.List;

/** The engine fed events directly, in a schema of its own, for other packages' tests to compare with. */
public final class ReferenceRun implements AutoCloseable {

    private final EngineHarness harness;

    public ReferenceRun(String schema) {
        harness = new EngineHarness(schema);
    }

    public void apply(List<NetplaneEvent> events) throws SQLException {
        harness.apply(events.toArray(NetplaneEvent[]::new));
    }

    public OverlayMesh published(String hostId) {
        return harness.mesh(hostId);
    }

    @Override
    public void close() throws SQLException {
        harness.close();
    }
}
