package io.netplane.overlay.engine;

import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.overlay.model.EndpointEntry;
import io.netplane.overlay.model.MeshModel;
import io.netplane.overlay.store.OverlayStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Endpoints on overlay networks: a host joins a network with its first endpoint there and
 * leaves with its last. The networks affected are the endpoint's network before and after (an
 * endpoint that moved network touches both).
 */
final class EndpointChanges {

    private EndpointChanges() {
    }

    static Set<String> allocated(MeshModel model, OverlayStore store, Connection tx, EndpointAllocated e)
            throws SQLException {
        boolean overlay = OverlayEngine.OVERLAY_DRIVER.equals(e.driver())
                || model.network(e.networkId()).isPresent();
        Optional<EndpointEntry> old = model.endpoint(e.endpointId());
        if (e.revision() <= model.endpointRevision(e.endpointId())) {
            return Set.of();
        }
        if (!overlay) {
            return old.isPresent() ? release(model, store, tx, old.get(), e.revision()) : Set.of();
        }
        EndpointEntry entry = new EndpointEntry(e.endpointId(), e.revision(), e.networkId(), e.hostId(),
                OverlayEngine.withoutPrefix(e.ipv4Address()), e.macAddress());
        store.saveEndpoint(tx, entry);
        model.putEndpoint(entry);
        if (old.isPresent() && sameMesh(old.get(), entry)) {
            return Set.of(); // a newer copy of the same facts: no network's record changes
        }
        Set<String> affected = new TreeSet<>();
        old.ifPresent(o -> affected.add(o.networkId()));
        affected.add(e.networkId());
        return affected;
    }

    static Set<String> released(MeshModel model, OverlayStore store, Connection tx, EndpointReleased e)
            throws SQLException {
        Optional<EndpointEntry> old = model.endpoint(e.endpointId());
        if (old.isEmpty() || e.revision() <= old.get().revision()) {
            return Set.of(); // not an overlay endpoint we hold, or a stale copy
        }
        return release(model, store, tx, old.get(), e.revision());
    }

    private static Set<String> release(MeshModel model, OverlayStore store, Connection tx, EndpointEntry old,
            long revision) throws SQLException {
        store.removeEndpoint(tx, old.endpointId(), revision);
        model.removeEndpoint(old.endpointId(), revision);
        return Set.of(old.networkId());
    }

    private static boolean sameMesh(EndpointEntry a, EndpointEntry b) {
        return a.networkId().equals(b.networkId()) && a.hostId().equals(b.hostId())
                && java.util.Objects.equals(a.ipAddress(), b.ipAddress())
                && java.util.Objects.equals(a.macAddress(), b.macAddress());
    }
}
