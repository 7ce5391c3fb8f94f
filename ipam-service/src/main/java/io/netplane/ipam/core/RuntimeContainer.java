package io.netplane.ipam.core;

import java.util.List;

/**
 * The container a runtime (Docker) made, as its engine names it once it has joined the endpoint
 * netplane's plugin gave it an address for: Docker's id, name (no leading slash), hostname and
 * the endpoint's network aliases.
 */
public record RuntimeContainer(String id, String name, String hostname, List<String> aliases) {

    public RuntimeContainer {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
}
