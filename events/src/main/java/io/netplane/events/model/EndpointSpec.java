package io.netplane.events.model;

import java.util.List;

/**
 * A container's request for one network: Docker's EndpointSettings (network, {@code --alias},
 * {@code --ip}, {@code --link}).
 */
public record EndpointSpec(String network, List<String> aliases, String ipv4Address, List<LinkSpec> links) {
    public EndpointSpec {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        links = links == null ? List.of() : List.copyOf(links);
    }
}
