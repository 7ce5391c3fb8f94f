package io.netplane.events.model;

import java.util.List;

/**
 * A host carrying an overlay network: its VTEP (underlay address), whether it is up, and its
 * endpoints on the network. A host that is down stays listed (it still carries the network) but
 * is no peer of the others.
 */
public record MeshHost(String hostId, String vtepAddress, boolean up, List<MeshEndpoint> endpoints) {
    public MeshHost {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }
}
