package io.netplane.nat.store;

/**
 * An endpoint as stored. {@code portRequest} is the canonical text of what it asked to publish,
 * to tell a changed request from a redelivered one; {@code error} is why its ports were refused;
 * {@code gatewayEndpoint} whether it is its container's way out (EndpointAllocated.gatewayEndpoint).
 */
public record EndpointRow(String endpointId, long revision, boolean removed, String hostId, String networkId,
        String containerId, String containerName, String containerIp, String portRequest, String error,
        boolean gatewayEndpoint) {
}
