package io.netplane.ipam.api;

import io.netplane.events.model.IpamConfig;
import io.netplane.events.model.Link;
import io.netplane.events.model.PortSpec;
import io.netplane.ipam.core.Container;
import io.netplane.ipam.core.Endpoint;
import io.netplane.ipam.core.EventFactory;
import io.netplane.ipam.core.Network;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the /v1 API (and command results) return. */
public final class Views {

    private Views() {
    }

    public record NetworkView(String id, String name, String driver, String scope, boolean internal,
            boolean attachable, boolean predefined, List<IpamConfig> ipam, Map<String, String> options,
            Map<String, String> labels, String bridgeName, int mtu, boolean enableIcc, Instant created,
            long revision) {
    }

    public record EndpointView(String id, String containerId, String containerName, String networkId,
            String networkName, String hostId, String interfaceName, String macAddress, String ipv4Address,
            String ipv4Gateway, List<String> aliases, List<String> dnsNames, List<Link> links,
            boolean gatewayEndpoint, boolean gatewayBridge, long revision, boolean applied, String agentState,
            String agentError) {
    }

    public record ContainerView(String id, String name, String hostname, String hostId, String sandbox,
            String sandboxName, String networkMode, List<PortSpec> ports, List<String> exposedPorts,
            boolean publishAllPorts, Instant created, List<EndpointView> endpoints, List<String> warnings) {

        /** This view with what Docker would have warned about when the container was created. */
        public ContainerView withWarnings(List<String> warnings) {
            return new ContainerView(id, name, hostname, hostId, sandbox, sandboxName, networkMode, ports,
                    exposedPorts, publishAllPorts, created, endpoints, List.copyOf(warnings));
        }
    }

    public static NetworkView of(Network n) {
        return new NetworkView(n.id(), n.name(), n.driver(), n.scope(), n.internal(), n.attachable(), n.predefined(),
                EventFactory.ipam(n), n.options(), n.labels(), n.bridgeName(), n.mtu(), n.enableIcc(), n.created(),
                n.revision());
    }

    public static EndpointView of(Endpoint e, Container k, Network n) {
        var event = EventFactory.allocated(e, k, n);
        return new EndpointView(e.id(), k.id(), k.name(), n.id(), n.name(), k.hostId(), e.interfaceName(),
                e.macAddress(), event.ipv4Address(), event.ipv4Gateway(), e.aliases(), e.dnsNames(), e.links(),
                e.gatewayEndpoint(), e.gatewayBridge(), e.revision(), e.applied(), e.status(), e.statusError());
    }

    public static ContainerView of(Container k, List<EndpointView> endpoints) {
        return new ContainerView(k.id(), k.name(), k.hostname(), k.hostId(), k.sandbox(), k.sandboxName(),
                k.networkMode(), k.ports(), k.exposedPorts(), k.publishAllPorts(), k.created(), endpoints, List.of());
    }
}
