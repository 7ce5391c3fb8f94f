package io.netplane.ipam.core;

import io.netplane.events.ContainerCreated;
import io.netplane.events.ContainerRemoved;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.NetworkCreated;
import io.netplane.events.NetworkRemoved;
import io.netplane.events.model.IpamConfig;
import io.netplane.ipam.address.Ipv4;
import java.time.Instant;
import java.util.List;

/** Turns stored state into the state events other services consume. */
public final class EventFactory {

    private EventFactory() {
    }

    public static NetworkCreated created(Network n) {
        return new NetworkCreated(n.id(), n.revision(), Instant.now(), NetworkCreated.SCHEMA_VERSION, n.name(),
                n.driver(), n.scope(), n.internal(), n.attachable(), n.enableIPv6(), n.predefined(), ipam(n),
                n.options(), n.labels(), n.bridgeName(), n.mtu(), n.enableIcc(), n.created());
    }

    public static NetworkRemoved removed(Network n) {
        return new NetworkRemoved(n.id(), n.revision() + 1, Instant.now(), NetworkRemoved.SCHEMA_VERSION, n.name());
    }

    public static List<IpamConfig> ipam(Network n) {
        return n.subnets().stream().map(s -> new IpamConfig(s.subnet().toString(),
                s.ipRange() == null ? null : s.ipRange().toString(), s.gatewayText(), s.auxAddresses())).toList();
    }

    public static ContainerCreated created(Container k) {
        return new ContainerCreated(k.id(), k.revision(), Instant.now(), ContainerCreated.SCHEMA_VERSION, k.name(),
                k.hostname(), k.hostId(), k.sandbox(), k.sandboxName(), k.networkMode(), k.ports(), k.exposedPorts(),
                k.publishAllPorts(), k.created());
    }

    public static ContainerRemoved removed(Container k) {
        return new ContainerRemoved(k.id(), k.revision() + 1, Instant.now(), ContainerRemoved.SCHEMA_VERSION,
                k.name(), k.hostId(), k.sandboxName());
    }

    public static EndpointAllocated allocated(Endpoint e, Container k, Network n) {
        Subnet s = e.ipv4() == null ? null
                : n.subnets().stream().filter(x -> x.subnet().contains(e.ipv4())).findFirst().orElseThrow();
        String address = e.ipv4() == null ? null : Ipv4.format(e.ipv4()) + "/" + s.subnet().prefix();
        String gateway = e.ipv4() == null ? null : s.gatewayText();
        return new EndpointAllocated(e.id(), e.revision(), Instant.now(), EndpointAllocated.SCHEMA_VERSION, k.id(),
                k.name(), k.hostname(), k.hostId(), k.sandbox(), k.sandboxName(), n.id(), n.name(), n.driver(),
                e.interfaceName(), e.macAddress(), address, gateway, null, n.mtu(), e.aliases(), e.dnsNames(),
                e.links(), e.gatewayEndpoint(), e.gatewayBridge(), k.ports(), k.exposedPorts(), k.publishAllPorts());
    }

    public static EndpointReleased released(Endpoint e, Container k) {
        return new EndpointReleased(e.id(), e.revision() + 1, Instant.now(), EndpointReleased.SCHEMA_VERSION,
                e.containerId(), e.networkId(), k.hostId());
    }
}
