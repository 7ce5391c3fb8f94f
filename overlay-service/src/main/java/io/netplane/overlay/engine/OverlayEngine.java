package io.netplane.overlay.engine;

import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.HostHeartbeat;
import io.netplane.events.HostLeft;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.NetworkCreated;
import io.netplane.events.NetworkRemoved;
import io.netplane.events.OverlayMesh;
import io.netplane.events.OverlayNetworkMesh;
import io.netplane.overlay.model.HostEntry;
import io.netplane.overlay.model.MeshModel;
import io.netplane.overlay.store.OverlayStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Applies network, endpoint and host events to the overlay state and says which networks'
 * records changed. Each call runs in the caller's transaction: state rows are written through
 * the store, and the returned records are for the caller to put in the outbox of the same
 * transaction. The in-memory model is a cache of the database; when a call fails (or the caller
 * reports its transaction failed) the next call reloads it from the committed state.
 */
public final class OverlayEngine {

    public static final String OVERLAY_DRIVER = "overlay";

    private final OverlayStore store;
    private final Clock clock;
    private final Duration hostDownAfter;
    private MeshModel model;
    private boolean stale = true;

    public OverlayEngine(OverlayStore store, Clock clock, Duration hostDownAfter) {
        this.store = store;
        this.clock = clock;
        this.hostDownAfter = hostDownAfter;
    }

    /** Applies one event; returns the new records of the networks it changed (none if it was stale or not ours). */
    public synchronized List<OverlayNetworkMesh> apply(Connection tx, NetplaneEvent event) throws SQLException {
        return guarded(tx, () -> {
            Set<String> affected;
            if (event instanceof NetworkCreated e) {
                affected = NetworkChanges.created(model, store, tx, e);
            } else if (event instanceof NetworkRemoved e) {
                affected = NetworkChanges.removed(model, store, tx, e);
            } else if (event instanceof EndpointAllocated e) {
                affected = EndpointChanges.allocated(model, store, tx, e);
            } else if (event instanceof EndpointReleased e) {
                affected = EndpointChanges.released(model, store, tx, e);
            } else if (event instanceof HostHeartbeat e) {
                affected = HostChanges.heartbeat(model, store, tx, e, clock.instant());
            } else if (event instanceof HostLeft e) {
                affected = HostChanges.left(model, store, tx, e);
            } else {
                affected = Set.of();
            }
            return publish(tx, affected, event instanceof NetworkRemoved);
        });
    }

    /** Marks down every up host silent for longer than host-down-after; returns the network records that changed. */
    public synchronized List<OverlayNetworkMesh> markSilentHostsDown(Connection tx) throws SQLException {
        return guarded(tx, () -> {
            Instant cutoff = clock.instant().minus(hostDownAfter);
            Set<String> affected = new TreeSet<>();
            for (HostEntry h : List.copyOf(model.hosts())) {
                if (h.up() && h.lastHeartbeat() != null && h.lastHeartbeat().isBefore(cutoff)) {
                    affected.addAll(HostChanges.markDown(model, store, tx, h, h.revision()));
                }
            }
            return publish(tx, affected, false);
        });
    }

    /** The caller's transaction did not commit: forget the cached state. */
    public synchronized void invalidate() {
        stale = true;
    }

    /** Runs a read against the current model (reloading it first if needed). */
    public synchronized <T> T read(Connection c, Function<MeshModel, T> query) throws SQLException {
        ensureLoaded(c);
        return query.apply(model);
    }

    /**
     * The mesh a host has now, as its agent derives it from the published records (the revision
     * is the newest of the networks it carries), if the host is known and up.
     */
    public synchronized Optional<OverlayMesh> currentMesh(Connection c, String hostId) throws SQLException {
        ensureLoaded(c);
        return model.host(hostId).filter(HostEntry::up)
                .map(h -> new OverlayMesh(h.hostId(), model.networksOf(hostId).stream()
                        .mapToLong(model::meshRevision).max().orElse(0), clock.instant(),
                        OverlayMesh.SCHEMA_VERSION, h.underlayAddress(), model.meshOf(h.hostId())));
    }

    /** New records of the live networks given; a removal publishes the removed network's last record. */
    private List<OverlayNetworkMesh> publish(Connection tx, Set<String> networks, boolean removal)
            throws SQLException {
        Instant now = clock.instant();
        List<OverlayNetworkMesh> records = new ArrayList<>();
        Map<String, Long> revisions = new TreeMap<>();
        for (String networkId : new TreeSet<>(networks)) {
            if (model.network(networkId).isEmpty() && !removal) {
                continue; // endpoints of a network not (yet) known as overlay, or already removed
            }
            long next = model.meshRevision(networkId) + 1;
            model.putMeshRevision(networkId, next);
            revisions.put(networkId, next);
            records.add(model.networkMesh(networkId, next, now));
        }
        if (!revisions.isEmpty()) { // a plain heartbeat or an idle sweep changes no record
            store.saveMeshRevisions(tx, revisions);
        }
        return records;
    }

    private void ensureLoaded(Connection c) throws SQLException {
        if (stale) {
            model = store.load(c);
            stale = false;
        }
    }

    private List<OverlayNetworkMesh> guarded(Connection tx, Step step) throws SQLException {
        ensureLoaded(tx);
        try {
            return step.run();
        } catch (SQLException | RuntimeException e) {
            stale = true;
            throw e;
        }
    }

    @FunctionalInterface
    private interface Step {
        List<OverlayNetworkMesh> run() throws SQLException;
    }

    /** Visible for the benchmark: the model, loaded. */
    public synchronized MeshModel model(Connection c) throws SQLException {
        ensureLoaded(c);
        return model;
    }

    static String withoutPrefix(String cidr) {
        if (cidr == null) {
            return null;
        }
        int slash = cidr.indexOf('/');
        return slash < 0 ? cidr : cidr.substring(0, slash);
    }

}
