package io.netplane.events.model;

import java.util.List;

/**
 * What a client asks for when creating a container's networking: its name, hostname, host,
 * sandbox (a namespace path, or "create" for a named namespace made by the agent), the
 * networks to join (the first one is joined first, as {@code --network}), and ports.
 */
public record ContainerSpec(String name, String hostname, String hostId, String sandbox, List<EndpointSpec> networks,
        List<PortSpec> ports, List<String> exposedPorts, Boolean publishAllPorts) {
    public ContainerSpec {
        networks = networks == null ? List.of() : List.copyOf(networks);
        ports = ports == null ? List.of() : List.copyOf(ports);
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
    }
}
