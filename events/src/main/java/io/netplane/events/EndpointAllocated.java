package io.netplane.events;

import io.netplane.events.model.Link;
import io.netplane.events.model.PortSpec;
import java.time.Instant;
import java.util.List;

/**
 * The whole state of one endpoint: a container's attachment to one network on one host (topic
 * {@code endpoints}, key endpoint id). It repeats what consumers need of the container and the
 * network so that each can act on this event alone.
 *
 * <ul>
 * <li>{@code ipv4Address} is CIDR form, as Docker shows it ("172.18.0.2/16"); null on host/none.</li>
 * <li>{@code dnsNames}: the names this endpoint answers to on its network, in Docker's order
 * (container name, aliases, short id, hostname), empty where the network has no name service.</li>
 * <li>{@code links}: resolved {@code --link} targets, seen only by this container.</li>
 * <li>{@code gatewayEndpoint}: this endpoint gives the container its default route and carries its
 * published ports ({@code ports}, {@code exposedPorts}, {@code publishAllPorts}).</li>
 * <li>{@code gatewayBridge}: this is the netplane_gwbridge endpoint an overlay container gets.</li>
 * </ul>
 */
public record EndpointAllocated(String endpointId, long revision, Instant time, int schemaVersion,
        String containerId, String containerName, String hostname, String hostId, String sandbox, String sandboxName,
        String networkId, String networkName, String driver, String interfaceName, String macAddress,
        String ipv4Address, String ipv4Gateway, String ipv6Address, int mtu, List<String> aliases,
        List<String> dnsNames, List<Link> links, boolean gatewayEndpoint, boolean gatewayBridge, List<PortSpec> ports,
        List<String> exposedPorts, boolean publishAllPorts) implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public EndpointAllocated {
        Require.text(endpointId, "endpointId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
        Require.text(containerId, "containerId");
        Require.text(hostId, "hostId");
        Require.text(networkId, "networkId");
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
        links = links == null ? List.of() : List.copyOf(links);
        ports = ports == null ? List.of() : List.copyOf(ports);
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
    }

    @Override
    public String aggregateId() {
        return endpointId;
    }
}
