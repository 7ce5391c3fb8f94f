package io.netplane.ipam.core;

import io.netplane.events.model.Link;
import java.util.List;

/**
 * A container's attachment to one network instance. ipv4 is null on host and none networks;
 * status is what the host agent last reported (null until it reports).
 */
public record Endpoint(String id, String containerId, String networkId, String hostScope, String name,
        String interfaceName, String macAddress, Long ipv4, List<String> aliases, List<Link> links,
        List<String> dnsNames, boolean gatewayEndpoint, boolean gatewayBridge, long revision, String status,
        String statusError, Long statusRevision) {

    /** Applied means the agent reported APPLIED for this very revision. */
    public boolean applied() {
        return "APPLIED".equals(status) && statusRevision != null && statusRevision == revision;
    }
}
