package io.netplane.ipam.core;

import io.netplane.events.model.IpamConfig;
import io.netplane.events.model.NetworkSpec;
import io.netplane.events.validate.Count;
import io.netplane.events.validate.LinkName;
import io.netplane.events.validate.KeyValues;
import io.netplane.events.validate.NetworkName;
import io.netplane.events.validate.Shown;
import io.netplane.ipam.address.Cidr;
import io.netplane.ipam.address.Ipv4;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A network create request checked the way Docker checks it (docker-libnetwork.md §1.6): all
 * problems are collected and reported together, prefixed "invalid network config:".
 */
public record NetworkRequest(String name, String driver, List<Subnet> subnets, boolean internal, boolean attachable,
        Map<String, String> options, Map<String, String> labels, int mtu, boolean enableIcc, String bridgeName) {

    public static final String OPT_BRIDGE_NAME = "com.docker.network.bridge.name";
    public static final String OPT_ICC = "com.docker.network.bridge.enable_icc";
    public static final String OPT_MTU = "com.docker.network.driver.mtu";
    public static final String OPT_MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade";
    /** Docker 20.10's words (libnetwork ipamapi.ErrPoolOverlap), unwrapped as 20.10 shows them. */
    public static final String POOL_OVERLAP = "Pool overlaps with other one on this address space";

    /** Address blocks no bridge or overlay network can use: a gateway or container there never works. */
    private static final List<Map.Entry<Cidr, String>> UNUSABLE = List.of(
            Map.entry(Cidr.parse("0.0.0.0/8"), "0.0.0.0/8 means \"this host\" and is never routed"),
            Map.entry(Cidr.parse("127.0.0.0/8"), "127.0.0.0/8 is the loopback block of every host and container"),
            Map.entry(Cidr.parse("224.0.0.0/4"), "224.0.0.0/4 is multicast: no host can have such an address"));

    public static NetworkRequest check(NetworkSpec spec) {
        if (spec == null) {
            throw IpamException.badRequest("a network needs a name");
        }
        NetworkName.check(spec.name());
        String bridgeName = spec.options().get(OPT_BRIDGE_NAME);
        if (bridgeName != null) {
            LinkName.checkOwn(bridgeName, OPT_BRIDGE_NAME);
        }
        KeyValues.check(spec.options(), "option");
        KeyValues.check(spec.labels(), "label");
        Count.atMost(spec.ipam(), Count.MAX_SUBNETS, "IPAM configs");
        String driver = spec.driver() == null || spec.driver().isBlank() ? "bridge" : spec.driver();
        switch (driver) {
            case "bridge", "overlay" -> {
            }
            case "host", "null" -> throw IpamException.forbidden(
                    "only one instance of \"" + driver + "\" network is allowed");
            default -> throw IpamException.notFound(
                    "could not find plugin " + Shown.of(driver) + " in v1 plugin registry: plugin not found");
        }
        if (Boolean.TRUE.equals(spec.enableIPv6())) {
            throw IpamException.badRequest("IPv6 networks are not supported yet: leave out --ipv6");
        }
        List<String> problems = new ArrayList<>();
        List<Subnet> subnets = new ArrayList<>();
        for (IpamConfig config : spec.ipam()) {
            Subnet s = subnet(config, "overlay".equals(driver) ? "GlobalDefault" : "LocalDefault", problems);
            if (s != null) {
                subnets.add(s);
            }
        }
        if (!problems.isEmpty()) {
            throw IpamException.badRequest("invalid network config:\n" + String.join("\n", problems));
        }
        Map<String, String> options = spec.options();
        int mtu = "overlay".equals(driver) ? 1450 : 1500;
        if (options.containsKey(OPT_MTU)) {
            try {
                mtu = Integer.parseInt(options.get(OPT_MTU).trim());
            } catch (NumberFormatException e) {
                throw IpamException.badRequest("invalid MTU \"" + Shown.of(options.get(OPT_MTU)) + "\": " + OPT_MTU
                        + " must be a whole number such as 1400");
            }
            if (mtu < 68 || mtu > 65535) {
                throw IpamException.badRequest("invalid MTU " + mtu + ": it must be between 68 and 65535");
            }
        }
        boolean icc = flag(options, OPT_ICC);
        flag(options, OPT_MASQUERADE); // nat-service reads it; anything but true or false is refused here
        return new NetworkRequest(spec.name(), driver, subnets, Boolean.TRUE.equals(spec.internal()),
                Boolean.TRUE.equals(spec.attachable()), options, spec.labels(), mtu, icc, bridgeName);
    }

    /** A true/false option, true when absent. */
    private static boolean flag(Map<String, String> options, String option) {
        String v = options.getOrDefault(option, "true").trim();
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw IpamException.badRequest("invalid " + option + " \"" + Shown.of(v) + "\": use true or false");
        }
        return Boolean.parseBoolean(v);
    }

    private static Subnet subnet(IpamConfig config, String addressSpace, List<String> problems) {
        if (config.subnet() == null || config.subnet().isBlank()) {
            if (config.ipRange() != null || config.gateway() != null || !config.auxAddresses().isEmpty()) {
                problems.add("ip-range, gateway and auxiliary addresses need a subnet: give --subnet as well");
            }
            return null;
        }
        KeyValues.check(config.auxAddresses(), "auxiliary address");
        Cidr subnet = Cidr.parse(config.subnet());
        if (subnet == null) {
            // Docker 20.10's libnetwork words (with no daemon-side check before it), stray whitespace included
            throw IpamException.badRequest("failed to parse pool request for address space \"" + addressSpace
                    + "\" pool \"" + Shown.of(config.subnet()) + "\" subpool \""
                    + (config.ipRange() == null ? "" : Shown.of(config.ipRange())) + "\": Invalid Address Pool");
        }
        for (var unusable : UNUSABLE) {
            if (subnet.overlaps(unusable.getKey())) {
                problems.add("invalid subnet " + subnet + ": " + unusable.getValue());
                return null;
            }
        }
        if (subnet.prefix() == 32) {
            problems.add("invalid subnet " + subnet + ": a /32 holds one address, which the gateway takes, and "
                    + "leaves none for a container: give a /31 or larger");
            return null;
        }
        if (!subnet.isCanonical()) {
            problems.add("invalid subnet " + Shown.of(config.subnet()) + ": it should be " + subnet.canonical());
            return null;
        }
        Cidr range = null;
        if (config.ipRange() != null && !config.ipRange().isBlank()) {
            range = Cidr.parse(config.ipRange());
            if (range == null) {
                problems.add("invalid ip-range " + Shown.of(config.ipRange()) + ": not an IPv4 CIDR block such as 172.20.5.0/24");
            } else if (range.prefix() < subnet.prefix()) {
                problems.add("invalid ip-range " + Shown.of(config.ipRange()) + ": CIDR block is bigger than its parent subnet "
                        + subnet);
                range = null;
            } else if (!range.isCanonical()) {
                problems.add("invalid ip-range " + Shown.of(config.ipRange()) + ": it should be " + range.canonical());
                range = null;
            } else if (!subnet.contains(range)) {
                problems.add("invalid ip-range " + Shown.of(config.ipRange()) + ": parent subnet " + subnet
                        + " doesn't contain ip-range");
                range = null;
            }
        }
        Long gateway = null;
        boolean gatewayGiven = config.gateway() != null && !config.gateway().isBlank();
        if (gatewayGiven) {
            gateway = address("gateway", config.gateway(), subnet, problems);
        }
        for (var aux : config.auxAddresses().entrySet()) {
            address("auxiliary address", aux.getValue(), subnet, problems);
        }
        if (gateway == null && (config.gateway() == null || config.gateway().isBlank())) {
            // Docker serves the gateway before any endpoint: the lowest free address of the range or subnet.
            Subnet probe = new Subnet(subnet, range, null, Map.of(), true, false);
            gateway = probe.allocFirst();
        }
        return new Subnet(subnet, range, gateway, config.auxAddresses(), true, gatewayGiven);
    }

    private static Long address(String what, String text, Cidr subnet, List<String> problems) {
        Long ip = Ipv4.parse(text);
        if (ip == null) {
            problems.add("invalid " + what + " " + Shown.of(text) + ": not an IPv4 address");
        } else if (!subnet.contains(ip)) {
            problems.add("invalid " + what + " " + Shown.of(text) + ": parent subnet " + subnet + " doesn't contain this address");
            return null;
        }
        return ip;
    }
}
