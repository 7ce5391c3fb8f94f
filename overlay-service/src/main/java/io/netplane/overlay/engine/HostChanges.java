package io.netplane.overlay.engine;

import io.netplane.events.HostHeartbeat;
import io.netplane.events.HostLeft;
import io.netplane.overlay.model.HostEntry;
import io.netplane.overlay.model.MeshModel;
import io.netplane.overlay.store.OverlayStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The host registry. A heartbeat registers or refreshes a host; only a host that appears, comes
 * back, or changes its underlay address changes the records of the networks it carries. A host
 * that leaves or falls silent is marked down in them (no longer a peer of the others).
 */
final class HostChanges {

    private HostChanges() {
    }

    static Set<String> heartbeat(MeshModel model, OverlayStore store, Connection tx, HostHeartbeat e, Instant now)
            throws SQLException {
        Optional<HostEntry> old = model.host(e.hostId());
        if (old.isPresent() && e.revision() <= old.get().revision()) {
            return Set.of();
        }
        HostEntry next = new HostEntry(e.hostId(), e.revision(), e.underlayAddress(), e.agentVersion(), now, true);
        store.saveHost(tx, next);
        model.putHost(next);
        boolean meshChanged = old.isEmpty() || !old.get().up()
                || !Objects.equals(old.get().underlayAddress(), next.underlayAddress());
        return meshChanged ? model.networksOf(e.hostId()) : Set.of();
    }

    static Set<String> left(MeshModel model, OverlayStore store, Connection tx, HostLeft e) throws SQLException {
        Optional<HostEntry> old = model.host(e.hostId());
        if (old.isEmpty() || e.revision() <= old.get().revision()) {
            return Set.of();
        }
        return markDown(model, store, tx, old.get(), e.revision());
    }

    static Set<String> markDown(MeshModel model, OverlayStore store, Connection tx, HostEntry host, long revision)
            throws SQLException {
        HostEntry next = host.down(revision);
        store.saveHost(tx, next);
        model.putHost(next);
        return host.up() ? model.networksOf(host.hostId()) : Set.of();
    }
}
