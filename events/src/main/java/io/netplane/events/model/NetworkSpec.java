package io.netplane.events.model;

import java.util.List;
import java.util.Map;

/** What a client asks for when creating a network (Docker's NetworkCreateRequest, in short). */
public record NetworkSpec(String name, String driver, List<IpamConfig> ipam, Boolean internal, Boolean attachable,
        Boolean enableIPv6, Map<String, String> options, Map<String, String> labels) {
    public NetworkSpec {
        ipam = ipam == null ? List.of() : List.copyOf(ipam);
        options = options == null ? Map.of() : Map.copyOf(options);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
