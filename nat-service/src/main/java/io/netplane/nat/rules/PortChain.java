package io.netplane.nat.rules;

import java.util.Locale;

/**
 * The nat chain holding the DNAT rules of one protocol's host ports {@code first..first+99}, e.g.
 * {@code NETPLANE-TCP-32700} for tcp 32700-32799. Splitting the DNAT rules this way keeps every
 * chain small whatever the number of ports on the host or on one bridge, so a change rewrites at
 * most one range. Names stay within iptables' 28 characters ("NETPLANE-SCTP-65500" is 19).
 */
record PortChain(String protocol, int first) {

    static final int PORTS = 100;

    static PortChain of(PublishedPort port) {
        return new PortChain(port.protocol(), port.hostPort() / PORTS * PORTS);
    }

    int last() {
        return Math.min(first + PORTS - 1, 65535);
    }

    String name() {
        return RulesetCompiler.DNAT_CHAIN + "-" + protocol.toUpperCase(Locale.ROOT) + "-" + first;
    }
}
