package io.netplane.ipam.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A network as stored: its definition and its subnets (none for host and null networks). */
public record Network(String id, String name, String driver, String scope, boolean internal, boolean attachable,
        boolean enableIPv6, boolean predefined, Map<String, String> options, Map<String, String> labels,
        String bridgeName, int mtu, boolean enableIcc, Instant created, long revision, List<Subnet> subnets) {

    public static final String LOCAL = "local";
    public static final String GLOBAL = "global";

    public boolean isGlobal() {
        return GLOBAL.equals(scope);
    }

    /** The address space an endpoint of this network on {@code hostId} allocates from. */
    public String hostScope(String hostId) {
        return isGlobal() ? "" : hostId;
    }

    /** Whether containers on it get names, aliases and an address of their choosing (Docker: user-defined). */
    public boolean userDefined() {
        return !predefined && !io.netplane.events.Names.GATEWAY_BRIDGE_NETWORK.equals(name);
    }

    public boolean hasAddresses() {
        return !subnets.isEmpty();
    }
}
