package io.netplane.overlay.model;

/** A live overlay network with its VNI and the device facts every host needs. */
public record NetworkEntry(String networkId, long revision, String name, int vni, String subnet, String gateway,
        int mtu, String bridgeName, String vxlanName) {
}
