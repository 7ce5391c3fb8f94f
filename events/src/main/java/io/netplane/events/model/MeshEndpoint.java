package io.netplane.events.model;

/** An endpoint on an overlay network; one without an address or MAC makes no neighbour entry. */
public record MeshEndpoint(String endpointId, String ipAddress, String macAddress) {
}
