package io.netplane.agent.trust;

import io.netplane.agent.firewall.RulesetPolicy;
import io.netplane.agent.netlink.Ip;
import io.netplane.agent.reconcile.Ownership;
import io.netplane.events.ContainerCreated;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.Names;
import io.netplane.events.NatRuleset;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.NetworkCreated;
import io.netplane.events.OverlayNetworkMesh;
import io.netplane.events.validate.Alias;
import io.netplane.events.validate.Hostname;
import io.netplane.events.validate.InterfaceName;
import io.netplane.events.validate.LinkName;
import io.netplane.events.validate.Port;
import io.netplane.events.validate.Protocol;
import io.netplane.events.validate.InvalidValueException;
import io.netplane.events.validate.SandboxPath;
import io.netplane.events.model.IpamConfig;
import io.netplane.events.model.Link;
import io.netplane.events.model.MeshEndpoint;
import io.netplane.events.model.MeshHost;
import io.netplane.events.model.PortBinding;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the agent checks of a state record before it folds it into the desired state, for the
 * values it hands to the kernel, to files or to iptables as root: the firewall document
 * ({@link RulesetPolicy}); host-side link names (one of netplane's own, see
 * {@link Ownership#ownName}); sandbox paths (only named namespaces and /proc/PID/ns/net) and
 * sandbox names (never a path); interface names; addresses, subnets and MACs; and the hostnames
 * and link entries written into a sandbox's /etc files. A record that fails is refused whole.
 */
public final class RecordCheck {

    /** A namespace name under /var/run/netns, by Docker's name rule (so never "." or ".." or a path). */
    private static final Pattern SANDBOX_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,199}");
    private static final String CREATE = "create";

    private RecordCheck() {
    }

    /** Throws {@link RefusedRecord} with the reason when the event asks for anything beyond the agent's own. */
    public static void check(NetplaneEvent event) {
        try {
            if (event instanceof NatRuleset r) {
                RulesetPolicy.check(r.document(), r.jumps());
                bindings(r.bindings());
            } else if (event instanceof NetworkCreated n) {
                network(n);
            } else if (event instanceof ContainerCreated c) {
                sandbox(c.sandbox(), c.sandboxName(), c.hostId(), c.name());
                hostname(c.hostname());
            } else if (event instanceof EndpointAllocated e) {
                endpoint(e);
            } else if (event instanceof OverlayNetworkMesh m) {
                mesh(m);
            }
        } catch (InvalidValueException e) {
            throw new RefusedRecord(e.getMessage());
        }
    }

    private static void network(NetworkCreated n) {
        if (n.bridgeName() != null) {
            hostLink(n.bridgeName(), "bridge name");
        }
        for (IpamConfig ipam : n.ipam()) {
            cidr(ipam.subnet(), "subnet");
            optionalAddress(ipam.gateway(), "gateway");
        }
    }

    /** What the agent's IPv6 proxies listen on and connect to, and conntrack is cleared by: ports, a protocol, IPv4 addresses. */
    private static void bindings(List<PortBinding> bindings) {
        for (PortBinding b : bindings) {
            Port.check(b.hostPort(), "hostPort");
            Port.check(b.containerPort(), "containerPort");
            if (b.protocol() == null || !b.protocol().equals(Protocol.check(b.protocol()))) {
                throw new InvalidValueException("invalid proto: " + printable(b.protocol()));
            }
            address(b.hostIp(), "published host address");
            address(b.containerIp(), "published container address");
        }
    }

    private static void endpoint(EndpointAllocated e) {
        sandbox(e.sandbox(), e.sandboxName(), e.hostId(), e.containerName());
        hostname(e.hostname());
        if (e.ipv4Address() != null && !e.ipv4Address().isEmpty()) {
            // only an endpoint with an address of its own gets an interface in its sandbox
            InterfaceName.check(e.interfaceName(), "interface name");
            cidr(e.ipv4Address(), "IPv4 address");
            if (e.macAddress() != null) {
                mac(e.macAddress(), "MAC address");
            }
        }
        optionalAddress(e.ipv4Gateway(), "IPv4 gateway");
        for (Link l : e.links()) {
            Alias.check(l.name(), "link name");
            if (l.alias() != null) {
                Alias.check(l.alias(), "link alias");
            }
            hostname(l.hostname());
            if (l.ipv4Address() != null) {
                addressOrCidr(l.ipv4Address(), "link address");
            }
        }
    }

    private static void mesh(OverlayNetworkMesh m) {
        if (m.removed()) {
            return; // says only that the network is gone
        }
        hostLink(m.bridgeName(), "overlay bridge name");
        hostLink(m.vxlanName(), "VXLAN device name");
        cidr(m.subnet(), "overlay subnet");
        address(m.gateway(), "overlay gateway");
        for (MeshHost h : m.hosts()) {
            optionalAddress(h.vtepAddress(), "VTEP address");
            for (MeshEndpoint e : h.endpoints()) {
                // only an endpoint with both becomes a neighbour and an FDB entry
                if (e.ipAddress() != null) {
                    addressOrCidr(e.ipAddress(), "peer address");
                }
                if (e.macAddress() != null) {
                    mac(e.macAddress(), "peer MAC address");
                }
            }
        }
    }

    /** A link in the host's namespace: a valid interface name and one of netplane's own names. */
    private static void hostLink(String name, String what) {
        LinkName.checkOwn(name, what);
    }

    /**
     * A path given by a runtime, or else the name of the namespace the agent makes, which becomes
     * /var/run/netns/NAME and /etc/netns/NAME: as given, or host id and container name.
     */
    private static void sandbox(String sandbox, String sandboxName, String hostId, String containerName) {
        if (Names.RUNTIME_SANDBOX.equals(sandbox)) {
            return; // a container engine's (Docker's): the agent neither makes, enters nor removes it
        }
        if (sandbox != null && !sandbox.isEmpty() && !CREATE.equals(sandbox)) {
            SandboxPath.check(sandbox);
            return;
        }
        String name = sandboxName != null ? sandboxName : Names.sandboxName(hostId, containerName);
        if (!SANDBOX_NAME.matcher(name).matches()) {
            throw new RefusedRecord("sandbox name \"" + printable(name)
                    + "\" is not a namespace name ([a-zA-Z0-9][a-zA-Z0-9_.-]*, at most 200 characters)");
        }
    }

    private static void hostname(String hostname) {
        if (hostname != null && !hostname.isEmpty()) {
            Hostname.check(hostname);
        }
    }

    private static void cidr(String value, String what) {
        if (!Ipv4Forms.cidr(value)) {
            throw new RefusedRecord(what + " \"" + printable(value) + "\" is not an IPv4 address/prefix");
        }
    }

    private static void address(String value, String what) {
        if (!Ipv4Forms.address(value)) {
            throw new RefusedRecord(what + " \"" + printable(value) + "\" is not an IPv4 address");
        }
    }

    /** An address, or an address with its prefix (the agent strips it where it needs the address). */
    private static void addressOrCidr(String value, String what) {
        if (!Ipv4Forms.addressOrCidr(value)) {
            throw new RefusedRecord(what + " \"" + printable(value) + "\" is not an IPv4 address");
        }
    }

    private static void optionalAddress(String value, String what) {
        if (value != null && !value.isEmpty()) {
            address(value, what);
        }
    }

    private static void mac(String value, String what) {
        boolean ok = value != null && value.length() == 17;
        try {
            ok = ok && Ip.mac(value).length == 6;
        } catch (IllegalArgumentException e) {
            ok = false;
        }
        if (!ok) {
            throw new RefusedRecord(what + " \"" + printable(value) + "\" is not a MAC address (xx:xx:xx:xx:xx:xx)");
        }
    }

    /** A value as a reason may quote it: at most 64 characters, controls shown as '?'. */
    private static String printable(String value) {
        if (value == null) {
            return "";
        }
        String cut = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
