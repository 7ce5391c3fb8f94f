package io.netplane.events;

import io.netplane.events.model.MeshHost;
import java.time.Instant;
import java.util.List;

/**
 * The whole mesh of one overlay network (topic {@code overlay-mesh}, key network id): its device
 * facts and every host carrying it with its VTEP and endpoints. One record per network, not per
 * host, so a change is published once however many hosts carry the network; each agent keeps
 * every network's record and derives its own mesh ({@link OverlayMesh#of}). A removed network is
 * published with {@code removed} set and no hosts, so the compacted topic read from the
 * beginning says it is gone.
 */
public record OverlayNetworkMesh(String networkId, long revision, Instant time, int schemaVersion, boolean removed,
        String networkName, int vni, String subnet, String gateway, int mtu, String bridgeName, String vxlanName,
        List<MeshHost> hosts) implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public OverlayNetworkMesh {
        Require.text(networkId, "networkId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        if (removed && !hosts.isEmpty()) {
            throw new IllegalArgumentException("a removed network is carried by no host");
        }
    }

    /** The record that says a network is gone. */
    public static OverlayNetworkMesh removed(String networkId, long revision, Instant time) {
        return new OverlayNetworkMesh(networkId, revision, time, SCHEMA_VERSION, true, null, 0, null, null, 0, null,
                null, List.of());
    }

    @Override
    public String aggregateId() {
        return networkId;
    }
}
