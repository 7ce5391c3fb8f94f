package io.netplane.events.model;

import java.util.List;

/**
 * One overlay network as one host carries it: VNI, subnet, gateway, MTU, the names of the
 * local bridge and VXLAN device, the remote peers, and the remote VTEPs to flood
 * broadcast to (all-zero MAC FDB entries).
 */
public record MeshNetwork(String networkId, String networkName, int vni, String subnet, String gateway, int mtu,
        String bridgeName, String vxlanName, List<MeshPeer> peers, List<String> floodVteps) {
    public MeshNetwork {
        peers = peers == null ? List.of() : List.copyOf(peers);
        floodVteps = floodVteps == null ? List.of() : List.copyOf(floodVteps);
    }
}
