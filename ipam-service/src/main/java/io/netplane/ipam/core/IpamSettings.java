package io.netplane.ipam.core;

import io.netplane.ipam.address.Cidr;
import io.netplane.ipam.address.DefaultPools;
import java.util.List;

/**
 * What an operator may configure: the default address pools per scope (Docker's
 * default-address-pools) and the predefined bridge network's subnet, gateway and device.
 */
public record IpamSettings(List<DefaultPools.Pool> localPools, List<DefaultPools.Pool> globalPools,
        Cidr defaultBridgeSubnet, long defaultBridgeGateway, String defaultBridgeDevice) {

    public static IpamSettings dockerDefaults() {
        return new IpamSettings(DefaultPools.LOCAL, DefaultPools.GLOBAL, Cidr.parse("172.17.0.0/16"),
                io.netplane.ipam.address.Ipv4.parse("172.17.0.1"), io.netplane.events.Names.DEFAULT_BRIDGE_DEVICE);
    }
}
