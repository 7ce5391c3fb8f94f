package io.netplane.overlay.api;

import java.util.List;

/** What /v1/overlay/networks/{id} shows: the network's VNI, which hosts carry it, and its endpoints. */
public record NetworkView(String networkId, String name, int vni, String subnet, String gateway, int mtu,
        String vxlanName, List<HostView> hosts, List<EndpointView> endpoints) {

    /** A host carrying the network: up or down, its VTEP, how many endpoints it has there. */
    public record HostView(String hostId, boolean up, String vtepAddress, int endpoints) {
    }

    public record EndpointView(String endpointId, String hostId, String ipAddress, String macAddress) {
    }
}
