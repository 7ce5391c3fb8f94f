package io.netplane.overlay.engine;

import io.netplane.events.Names;
import io.netplane.events.NetworkCreated;
import io.netplane.events.NetworkRemoved;
import io.netplane.events.model.IpamConfig;
import io.netplane.overlay.model.MeshModel;
import io.netplane.overlay.model.NetworkEntry;
import io.netplane.overlay.store.OverlayStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/** Overlay networks appear (taking a VNI), change, and go (giving it back). */
final class NetworkChanges {

    /** Docker's overlay MTU: 1500 less the 50 bytes of VXLAN encapsulation. */
    static final int DEFAULT_OVERLAY_MTU = 1450;

    private NetworkChanges() {
    }

    static Set<String> created(MeshModel model, OverlayStore store, Connection tx, NetworkCreated e)
            throws SQLException {
        if (!OverlayEngine.OVERLAY_DRIVER.equals(e.driver()) || e.revision() <= model.networkRevision(e.networkId())) {
            return Set.of();
        }
        int vni = model.network(e.networkId()).map(NetworkEntry::vni).orElseGet(model::lowestFreeVni);
        IpamConfig v4 = e.ipam().stream().filter(c -> c.subnet() != null && !c.subnet().contains(":"))
                .findFirst().orElse(null);
        NetworkEntry entry = new NetworkEntry(e.networkId(), e.revision(), e.name(), vni,
                v4 == null ? null : v4.subnet(), v4 == null ? null : v4.gateway(),
                e.mtu() > 0 ? e.mtu() : DEFAULT_OVERLAY_MTU, e.bridgeName(), Names.vxlanDevice(vni, e.networkId()));
        store.saveNetwork(tx, entry);
        model.putNetwork(entry);
        return Set.of(e.networkId());
    }

    static Set<String> removed(MeshModel model, OverlayStore store, Connection tx, NetworkRemoved e)
            throws SQLException {
        if (model.network(e.networkId()).isEmpty() || e.revision() <= model.networkRevision(e.networkId())) {
            return Set.of(); // not an overlay network we hold, or a stale copy
        }
        store.removeNetwork(tx, e.networkId(), e.revision());
        model.removeNetwork(e.networkId(), e.revision());
        return Set.of(e.networkId());
    }
}
