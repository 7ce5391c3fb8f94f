package io.netplane.ipam.core;

import io.netplane.events.Names;
import io.netplane.events.model.ContainerSpec;
import io.netplane.events.model.EndpointSpec;
import io.netplane.events.model.LinkSpec;
import io.netplane.events.model.PortSpec;
import io.netplane.events.validate.Alias;
import io.netplane.events.validate.ContainerName;
import io.netplane.events.validate.Count;
import io.netplane.events.validate.HostId;
import io.netplane.events.validate.Hostname;
import io.netplane.events.validate.InterfaceName;
import io.netplane.events.validate.InvalidValueException;
import io.netplane.events.validate.Ipv4Address;
import io.netplane.events.validate.MacAddress;
import io.netplane.events.validate.NetworkName;
import io.netplane.events.validate.Port;
import io.netplane.events.validate.Protocol;
import io.netplane.events.validate.SandboxPath;
import io.netplane.events.validate.Shown;

/**
 * The checks a container request and a network connect pass before anything is looked up or
 * written, whichever door they came in by: every value that ends up in an event, a file on the
 * host or a firewall rule, and how many of each, so that no accepted request makes an event the
 * broker refuses.
 */
public final class ContainerRequest {

    private ContainerRequest() {
    }

    public static void check(ContainerSpec spec) {
        if (spec == null) {
            throw new InvalidValueException("the request body must be a container: at least \"name\" and \"hostId\"");
        }
        ContainerName.check(spec.name());
        HostId.check(spec.hostId());
        if (spec.hostname() != null && !spec.hostname().isEmpty()) {
            Hostname.check(spec.hostname());
        }
        if (spec.sandbox() != null && !spec.sandbox().isEmpty() && !Names.CREATE_SANDBOX.equals(spec.sandbox())
                && !Names.RUNTIME_SANDBOX.equals(spec.sandbox())) {
            SandboxPath.check(spec.sandbox());
        }
        Count.atMost(spec.networks(), Count.MAX_NETWORKS, "networks");
        spec.networks().forEach(ContainerRequest::checkEndpoint);
        Count.atMost(spec.ports(), Count.MAX_PORTS, "published ports");
        spec.ports().forEach(ContainerRequest::checkPort);
        Count.atMost(spec.exposedPorts(), Count.MAX_PORTS, "exposed ports");
        spec.exposedPorts().forEach(ContainerRequest::checkExposed);
    }

    /** One network of a container, or a {@code network connect}. */
    public static void checkEndpoint(EndpointSpec spec) {
        if (spec == null) {
            throw new InvalidValueException("an endpoint needs at least \"network\"");
        }
        if (spec.network() != null) {
            NetworkName.check(spec.network());
        }
        Count.atMost(spec.aliases(), Count.MAX_ALIASES, "aliases");
        spec.aliases().forEach(a -> Alias.check(a, "alias"));
        if (spec.ipv4Address() != null && !spec.ipv4Address().isEmpty() && Ipv4Address.parse(spec.ipv4Address()) == null) {
            throw new InvalidValueException("invalid endpoint settings:\ninvalid IPv4 address: "
                    + Shown.of(spec.ipv4Address()));
        }
        if (spec.macAddress() != null && !spec.macAddress().isEmpty()) {
            MacAddress.check(spec.macAddress());
        }
        if (spec.interfaceName() != null && !spec.interfaceName().isEmpty()) {
            InterfaceName.check(spec.interfaceName(), "interface name");
        }
        Count.atMost(spec.links(), Count.MAX_LINKS, "links");
        for (LinkSpec link : spec.links()) {
            if (link == null) {
                throw new InvalidValueException("invalid link: give it as --link name[:alias]");
            }
            Alias.check(link.name(), "link");
            if (link.alias() != null && !link.alias().isEmpty()) {
                Alias.check(link.alias(), "link alias");
            }
        }
    }

    static void checkPort(PortSpec port) {
        if (port == null) {
            throw new InvalidValueException("a published port needs at least \"containerPort\"");
        }
        if (port.hostIp() != null && !port.hostIp().isEmpty()) {
            Ipv4Address.checkHostIp(port.hostIp());
        }
        Port.check(port.containerPort(), "containerPort");
        if (port.containerPortEnd() != null) {
            Port.check(port.containerPortEnd(), "containerPort");
        }
        // no host port (or 0) asks for a free one from the dynamic range, as Docker's -p 80 does
        if (port.hostPort() != null && port.hostPort() != 0) {
            Port.check(port.hostPort(), "hostPort");
        }
        if (port.hostPortEnd() != null) {
            Port.check(port.hostPortEnd(), "hostPort");
        }
        Protocol.check(port.protocol());
    }

    /** {@code 80} or {@code 80/udp}, as an image's EXPOSE lists them. */
    static void checkExposed(String exposed) {
        if (exposed == null) {
            throw new InvalidValueException("invalid exposed port: null");
        }
        String[] parts = exposed.split("/", 2);
        if (parts[0].isEmpty() || parts[0].length() > 5 || !parts[0].chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new InvalidValueException("invalid containerPort: " + Shown.of(parts[0]));
        }
        Port.check(Integer.parseInt(parts[0]), "containerPort");
        if (parts.length > 1) {
            Protocol.check(parts[1]);
        }
    }
}
