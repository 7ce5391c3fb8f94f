package io.netplane.events.model;

/**
 * A remote endpoint on an overlay network, as one host must program it: a permanent neighbour
 * entry (ipAddress to macAddress) and an FDB entry (macAddress to the remote VTEP).
 */
public record MeshPeer(String endpointId, String hostId, String ipAddress, String macAddress, String vtepAddress) {
}
