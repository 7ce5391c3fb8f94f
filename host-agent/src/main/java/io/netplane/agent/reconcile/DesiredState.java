package io.netplane.agent.reconcile;

import io.netplane.events.ContainerCreated;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.NatRuleset;
import io.netplane.events.NetworkCreated;
import io.netplane.events.OverlayMesh;
import java.util.Map;

/**
 * What this host's kernel should hold: every network (local bridge networks exist on every
 * host), this host's containers and endpoints, endpoints released here (to tear down and
 * report), this host's firewall ruleset and overlay mesh (either may be null).
 */
public record DesiredState(Map<String, NetworkCreated> networks, Map<String, ContainerCreated> containers,
        Map<String, EndpointAllocated> endpoints, Map<String, EndpointReleased> released, NatRuleset natRules,
        OverlayMesh mesh) {

    public DesiredState {
        networks = Map.copyOf(networks);
        containers = Map.copyOf(containers);
        endpoints = Map.copyOf(endpoints);
        released = Map.copyOf(released);
    }
}
