package io.netplane.events;

import io.netplane.events.model.IpamConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The whole state of a network (topic {@code networks}, key network id). Emitted when a network
 * is created or changes. {@code scope} is "local" for bridge/host/null networks (each host has
 * its own instance with the same subnet) and "global" for overlay networks (one address space
 * for the cluster). {@code bridgeName}, {@code mtu} and {@code enableIcc} are derived from the
 * driver options once, here, so no consumer derives them again.
 */
public record NetworkCreated(String networkId, long revision, Instant time, int schemaVersion, String name,
        String driver, String scope, boolean internal, boolean attachable, boolean enableIPv6, boolean predefined,
        List<IpamConfig> ipam, Map<String, String> options, Map<String, String> labels, String bridgeName, int mtu,
        boolean enableIcc, Instant created) implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public NetworkCreated {
        Require.text(networkId, "networkId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
        Require.text(name, "name");
        Require.text(driver, "driver");
        Require.text(scope, "scope");
        ipam = ipam == null ? List.of() : List.copyOf(ipam);
        options = options == null ? Map.of() : Map.copyOf(options);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    @Override
    public String aggregateId() {
        return networkId;
    }
}
