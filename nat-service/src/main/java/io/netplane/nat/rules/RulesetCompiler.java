package io.netplane.nat.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes the whole desired firewall of one host as one iptables-restore document in
 * netplane's own chains. The layout follows Docker's bridge driver with the userland proxy off
 * (docker-libnetwork.md §4.1 "hairpin mode" and the v29 forward chains of §4.2):
 *
 * <pre>
 * nat    NETPLANE              one jump per range of 100 host ports in use (from PREROUTING and OUTPUT,
 *                              local destinations): "-p tcp --dport 32700:32799 -j NETPLANE-TCP-32700"
 * nat    NETPLANE-TCP-32700    the DNAT of each published port of that range (see {@link PortChain})
 * nat    NETPLANE-POSTROUTING  MASQUERADE of each subnet leaving its bridge, of host-originated
 *                              traffic entering a bridge (127.0.0.1 included) and of hairpin traffic
 *                              (DNATed traffic from a bridge back into it)
 * filter NETPLANE-FORWARD      per bridge: replies, inbound checks, ICC, the way out
 * filter NETPLANE-INTERNAL     --internal networks: nothing in from or out to another subnet
 * filter NETPLANE-INBOUND      connections our DNAT made accepted, anything else entering a bridge
 *                              from elsewhere dropped (isolation between networks)
 * </pre>
 *
 * Each published port costs one rule (its DNAT) in a chain of at most 100 host ports, so one change
 * rewrites one small chain (the host agent applies the delta of two documents) and a new connection is matched against one
 * jump per range in use plus the rules of its range rather than every port of the host; everything
 * else is per bridge. The output depends only on its input, sorted, so equal state gives an equal
 * document.
 */
public final class RulesetCompiler {

    public static final String DNAT_CHAIN = "NETPLANE";
    public static final String POSTROUTING_CHAIN = "NETPLANE-POSTROUTING";
    public static final String FORWARD_CHAIN = "NETPLANE-FORWARD";
    public static final String INTERNAL_CHAIN = "NETPLANE-INTERNAL";
    public static final String INBOUND_CHAIN = "NETPLANE-INBOUND";

    /** Host ports per DNAT chain: a change rewrites at most this many rules per host address. */
    public static final int PORTS_PER_CHAIN = PortChain.PORTS;

    /** The chains every document declares; the DNAT chains of the ports in use come on top. */
    public static final List<String> CHAINS = List.of(
            "nat " + DNAT_CHAIN,
            "nat " + POSTROUTING_CHAIN,
            "filter " + FORWARD_CHAIN,
            "filter " + INTERNAL_CHAIN,
            "filter " + INBOUND_CHAIN);

    /** Without "! -d 127.0.0.0/8" on OUTPUT: the host reaches published ports through 127.0.0.1 too. */
    public static final List<String> JUMPS = List.of(
            "nat PREROUTING -m addrtype --dst-type LOCAL -j " + DNAT_CHAIN,
            "nat OUTPUT -m addrtype --dst-type LOCAL -j " + DNAT_CHAIN,
            "nat POSTROUTING -j " + POSTROUTING_CHAIN,
            "filter FORWARD -j " + FORWARD_CHAIN);

    private static final Comparator<BridgeNetwork> BRIDGE_ORDER = Comparator.comparing(BridgeNetwork::bridge);
    /** By protocol and host port, so each DNAT chain's ports are contiguous; any-address first. */
    private static final Comparator<PublishedPort> PORT_ORDER = (a, b) -> {
        int c = a.protocol().compareTo(b.protocol());
        if (c == 0) {
            c = Integer.compare(a.hostPort(), b.hostPort());
        }
        return c != 0 ? c : (a.anyHostIp() ? "" : a.hostIp()).compareTo(b.anyHostIp() ? "" : b.hostIp());
    };

    public Ruleset compile(HostFirewall firewall) {
        List<BridgeNetwork> bridges = new ArrayList<>(firewall.bridges());
        bridges.sort(BRIDGE_ORDER);
        // Docker publishes nothing on an internal network; a port on a bridge this host lacks has no rule to live in.
        Set<String> publishing = new HashSet<>();
        bridges.stream().filter(b -> !b.internal()).forEach(b -> publishing.add(b.bridge()));
        List<PublishedPort> ports = new ArrayList<>();
        firewall.ports().stream().filter(p -> publishing.contains(p.bridge())).forEach(ports::add);
        ports.sort(PORT_ORDER);

        Map<PortChain, List<PublishedPort>> byChain = new LinkedHashMap<>();
        for (PublishedPort p : ports) {
            byChain.computeIfAbsent(PortChain.of(p), c -> new ArrayList<>()).add(p);
        }

        Map<String, StringBuilder> nat = new LinkedHashMap<>();
        Map<String, StringBuilder> filter = new LinkedHashMap<>();
        writeNat(nat, bridges, byChain);
        writeFilter(filter, bridges);
        Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        tables.put("nat", texts(nat));
        tables.put("filter", texts(filter));
        RulesetDocument chains = new RulesetDocument(tables);
        return new Ruleset(chains.render(), chains.declaredChains(), JUMPS, ports);
    }

    private static Map<String, String> texts(Map<String, StringBuilder> chains) {
        Map<String, String> texts = new LinkedHashMap<>();
        chains.forEach((chain, rules) -> texts.put(chain, rules.toString()));
        return texts;
    }

    private static void writeNat(Map<String, StringBuilder> table, List<BridgeNetwork> bridges,
            Map<PortChain, List<PublishedPort>> byChain) {
        declare(table, DNAT_CHAIN);
        declare(table, POSTROUTING_CHAIN);
        byChain.keySet().forEach(c -> declare(table, c.name()));
        for (BridgeNetwork b : bridges) {
            if (b.internal() || !b.masquerade()) {
                continue;
            }
            rule(table, POSTROUTING_CHAIN).append("-s ").append(b.subnet()).append(" ! -o ").append(b.bridge())
                    .append(" -j MASQUERADE\n");
            // Host-originated connections DNATed into the bridge (source 127.0.0.1 or a host address).
            rule(table, POSTROUTING_CHAIN).append("-o ").append(b.bridge())
                    .append(" -m addrtype --src-type LOCAL -j MASQUERADE\n");
        }
        for (BridgeNetwork b : bridges) {
            if (!b.internal()) {
                // Hairpin: a container reaching a published port of its own network must get the reply
                // back through the host. One rule per bridge where Docker writes one per port.
                rule(table, POSTROUTING_CHAIN).append("-s ").append(b.subnet()).append(" -o ").append(b.bridge())
                        .append(" -m conntrack --ctstate DNAT -j MASQUERADE\n");
            }
        }
        for (PortChain c : byChain.keySet()) {
            rule(table, DNAT_CHAIN).append("-p ").append(c.protocol()).append(" -m ").append(c.protocol())
                    .append(" --dport ").append(c.first()).append(':').append(c.last()).append(" -j ")
                    .append(c.name()).append('\n');
        }
        for (Map.Entry<PortChain, List<PublishedPort>> chain : byChain.entrySet()) {
            String name = chain.getKey().name();
            for (PublishedPort p : chain.getValue()) {
                StringBuilder rule = rule(table, name);
                if (!p.anyHostIp()) {
                    rule.append("-d ").append(p.hostIp()).append("/32 ");
                }
                protocolPort(rule, p.protocol(), p.hostPort()).append(" -j DNAT --to-destination ")
                        .append(p.containerIp()).append(':').append(p.containerPort()).append('\n');
            }
        }
    }

    private static void writeFilter(Map<String, StringBuilder> table, List<BridgeNetwork> bridges) {
        declare(table, FORWARD_CHAIN);
        declare(table, INTERNAL_CHAIN);
        declare(table, INBOUND_CHAIN);
        rule(table, FORWARD_CHAIN).append("-j ").append(INTERNAL_CHAIN).append('\n');
        // Every bridge's inbound checks come before any bridge's way out, or "-i a ! -o a -j ACCEPT"
        // would let network a into network b.
        for (BridgeNetwork b : bridges) {
            rule(table, FORWARD_CHAIN).append("-o ").append(b.bridge())
                    .append(" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
        }
        for (BridgeNetwork b : bridges) {
            rule(table, FORWARD_CHAIN).append("-o ").append(b.bridge()).append(" -j ").append(INBOUND_CHAIN)
                    .append('\n');
        }
        for (BridgeNetwork b : bridges) {
            String br = b.bridge();
            rule(table, FORWARD_CHAIN).append("-i ").append(br).append(" -o ").append(br)
                    .append(b.icc() ? " -j ACCEPT\n" : " -j DROP\n");
            if (!b.internal()) {
                rule(table, FORWARD_CHAIN).append("-i ").append(br).append(" ! -o ").append(br).append(" -j ACCEPT\n");
            }
        }
        for (BridgeNetwork b : bridges) {
            if (b.internal()) {
                rule(table, INTERNAL_CHAIN).append("! -s ").append(b.subnet()).append(" -o ").append(b.bridge())
                        .append(" -j DROP\n");
                rule(table, INTERNAL_CHAIN).append("! -d ").append(b.subnet()).append(" -i ").append(b.bridge())
                        .append(" -j DROP\n");
            }
        }
        for (BridgeNetwork b : bridges) {
            if (!b.internal()) {
                // Whatever our DNAT sent in (only published ports); one rule per bridge where Docker
                // writes one per port, so a host with 10,000 ports keeps about one rule per port.
                rule(table, INBOUND_CHAIN).append("! -i ").append(b.bridge()).append(" -o ").append(b.bridge())
                        .append(" -m conntrack --ctstate DNAT -j ACCEPT\n");
            }
        }
        for (BridgeNetwork b : bridges) {
            rule(table, INBOUND_CHAIN).append("! -i ").append(b.bridge()).append(" -o ").append(b.bridge())
                    .append(" -j DROP\n");
        }
    }

    private static void declare(Map<String, StringBuilder> table, String chain) {
        table.put(chain, new StringBuilder());
    }

    /** Starts a rule at the end of its chain's lines. */
    private static StringBuilder rule(Map<String, StringBuilder> table, String chain) {
        return table.get(chain).append("-A ").append(chain).append(' ');
    }

    private static StringBuilder protocolPort(StringBuilder doc, String protocol, int port) {
        return doc.append("-p ").append(protocol).append(" -m ").append(protocol).append(" --dport ").append(port);
    }
}
