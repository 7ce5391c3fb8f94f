package io.netplane.overlay.model;

/** An overlay endpoint: where it lives (host), and what remote hosts program for it. */
public record EndpointEntry(String endpointId, long revision, String networkId, String hostId, String ipAddress,
        String macAddress) {
}
