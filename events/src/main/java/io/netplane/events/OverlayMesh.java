package io.netplane.events;

import io.netplane.events.model.MeshNetwork;
import java.time.Instant;
import java.util.List;

/**
 * The whole desired VXLAN mesh of one host (topic {@code overlay-mesh}, key host id): every
 * overlay network it carries, with its peers and flood entries. {@code vtepAddress} is this
 * host's own underlay address.
 */
public record OverlayMesh(String hostId, long revision, Instant time, int schemaVersion, String vtepAddress,
        List<MeshNetwork> networks) implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public OverlayMesh {
        Require.text(hostId, "hostId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
        networks = networks == null ? List.of() : List.copyOf(networks);
    }

    @Override
    public String aggregateId() {
        return hostId;
    }
}
