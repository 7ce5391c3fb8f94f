package io.netplane.events;

import io.netplane.events.model.MeshEndpoint;
import io.netplane.events.model.MeshHost;
import io.netplane.events.model.MeshNetwork;
import io.netplane.events.model.MeshPeer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The whole desired VXLAN mesh of one host: every overlay network it carries, with its peers and
 * flood entries. Not published: each host derives it from the networks' records
 * ({@link OverlayNetworkMesh}) with {@link #of}; the overlay ops API serves it the same way.
 * {@code vtepAddress} is this host's own underlay address, {@code revision} the newest revision
 * of the networks it carries.
 */
public record OverlayMesh(String hostId, long revision, Instant time, int schemaVersion, String vtepAddress,
        List<MeshNetwork> networks) {

    public static final int SCHEMA_VERSION = 1;

    public OverlayMesh {
        Require.text(hostId, "hostId");
        Require.present(time, "time");
        networks = networks == null ? List.of() : List.copyOf(networks);
    }

    /**
     * The mesh of one host from the records of every overlay network: the networks the host carries
     * (sorted by id), each with every endpoint with an address and MAC on the other hosts that are
     * up as a peer (by host, then endpoint id) and those hosts' VTEPs as flood targets. A host that
     * carries no network gets an empty mesh at revision 0.
     */
    public static OverlayMesh of(String hostId, Collection<OverlayNetworkMesh> records) {
        List<OverlayNetworkMesh> carried = records.stream()
                .filter(r -> !r.removed() && r.hosts().stream().anyMatch(h -> h.hostId().equals(hostId)))
                .sorted(Comparator.comparing(OverlayNetworkMesh::networkId)).toList();
        long revision = 0;
        Instant time = Instant.EPOCH;
        String ownVtep = null;
        List<MeshNetwork> networks = new ArrayList<>();
        for (OverlayNetworkMesh r : carried) {
            revision = Math.max(revision, r.revision());
            time = r.time().isAfter(time) ? r.time() : time;
            List<MeshPeer> peers = new ArrayList<>();
            TreeSet<String> flood = new TreeSet<>();
            for (MeshHost h : r.hosts().stream().sorted(Comparator.comparing(MeshHost::hostId)).toList()) {
                if (h.hostId().equals(hostId)) {
                    ownVtep = h.vtepAddress();
                    continue;
                }
                if (!h.up()) {
                    continue;
                }
                flood.add(h.vtepAddress());
                h.endpoints().stream().sorted(Comparator.comparing(MeshEndpoint::endpointId))
                        .filter(e -> e.ipAddress() != null && e.macAddress() != null)
                        .forEach(e -> peers.add(new MeshPeer(e.endpointId(), h.hostId(), e.ipAddress(),
                                e.macAddress(), h.vtepAddress())));
            }
            networks.add(new MeshNetwork(r.networkId(), r.networkName(), r.vni(), r.subnet(), r.gateway(), r.mtu(),
                    r.bridgeName(), r.vxlanName(), peers, List.copyOf(flood)));
        }
        return new OverlayMesh(hostId, revision, time, SCHEMA_VERSION, ownVtep, networks);
    }
}
