package io.netplane.nat.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Computes the whole desired firewall of one host as one iptables-restore document in
 * netplane's own chains. The layout follows Docker's bridge driver with the userland proxy off
 * (docker-libnetwork.md §4.1 "hairpin mode" and the v29 forward chains of §4.2):
 *
 * <pre>
 * nat    NETPLANE              DNAT of every published port (from PREROUTING and OUTPUT, local destinations)
 * nat    NETPLANE-POSTROUTING  MASQUERADE of each subnet leaving its bridge, of host-originated
 *                              traffic entering a bridge (127.0.0.1 included) and of hairpin traffic
 *                              (DNATed traffic from a bridge back into it)
 * filter NETPLANE-FORWARD      per bridge: replies, inbound checks, ICC, the way out
 * filter NETPLANE-INTERNAL     --internal networks: nothing in from or out to another subnet
 * filter NETPLANE-INBOUND      connections our DNAT made accepted, anything else entering a bridge
 *                              from elsewhere dropped (isolation between networks)
 * </pre>
 *
 * Each published port costs one rule (its DNAT); everything else is per bridge. The output depends
 * only on its input, sorted, so equal state gives an equal document.
 */
public final class RulesetCompiler {

    public static final String DNAT_CHAIN = "NETPLANE";
    public static final String POSTROUTING_CHAIN = "NETPLANE-POSTROUTING";
    public static final String FORWARD_CHAIN = "NETPLANE-FORWARD";
    public static final String INTERNAL_CHAIN = "NETPLANE-INTERNAL";
    public static final String INBOUND_CHAIN = "NETPLANE-INBOUND";

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
    private static final Comparator<PublishedPort> PORT_ORDER = Comparator.comparing(PublishedPort::bridge)
            .thenComparing(PublishedPort::protocol)
            .thenComparingInt(PublishedPort::hostPort)
            .thenComparing(p -> p.anyHostIp() ? "" : p.hostIp());

    public Ruleset compile(HostFirewall firewall) {
        List<BridgeNetwork> bridges = new ArrayList<>(firewall.bridges());
        bridges.sort(BRIDGE_ORDER);
        // Docker publishes nothing on an internal network; a port on a bridge this host lacks has no rule to live in.
        Set<String> publishing = new HashSet<>();
        bridges.stream().filter(b -> !b.internal()).forEach(b -> publishing.add(b.bridge()));
        List<PublishedPort> ports = new ArrayList<>();
        firewall.ports().stream().filter(p -> publishing.contains(p.bridge())).forEach(ports::add);
        ports.sort(PORT_ORDER);

        StringBuilder doc = new StringBuilder(256 + ports.size() * 300);
        writeNat(doc, bridges, ports);
        writeFilter(doc, bridges);
        return new Ruleset(doc.toString(), CHAINS, JUMPS);
    }

    private static void writeNat(StringBuilder doc, List<BridgeNetwork> bridges, List<PublishedPort> ports) {
        doc.append("*nat\n");
        declare(doc, DNAT_CHAIN);
        declare(doc, POSTROUTING_CHAIN);
        for (BridgeNetwork b : bridges) {
            if (b.internal() || !b.masquerade()) {
                continue;
            }
            rule(doc, POSTROUTING_CHAIN).append("-s ").append(b.subnet()).append(" ! -o ").append(b.bridge())
                    .append(" -j MASQUERADE\n");
            // Host-originated connections DNATed into the bridge (source 127.0.0.1 or a host address).
            rule(doc, POSTROUTING_CHAIN).append("-o ").append(b.bridge())
                    .append(" -m addrtype --src-type LOCAL -j MASQUERADE\n");
        }
        for (BridgeNetwork b : bridges) {
            if (!b.internal()) {
                // Hairpin: a container reaching a published port of its own network must get the reply
                // back through the host. One rule per bridge where Docker writes one per port.
                rule(doc, POSTROUTING_CHAIN).append("-s ").append(b.subnet()).append(" -o ").append(b.bridge())
                        .append(" -m conntrack --ctstate DNAT -j MASQUERADE\n");
            }
        }
        for (PublishedPort p : ports) {
            rule(doc, DNAT_CHAIN);
            if (!p.anyHostIp()) {
                doc.append("-d ").append(p.hostIp()).append("/32 ");
            }
            protocolPort(doc, p.protocol(), p.hostPort()).append(" -j DNAT --to-destination ")
                    .append(p.containerIp()).append(':').append(p.containerPort()).append('\n');
        }
        doc.append("COMMIT\n");
    }

    private static void writeFilter(StringBuilder doc, List<BridgeNetwork> bridges) {
        doc.append("*filter\n");
        declare(doc, FORWARD_CHAIN);
        declare(doc, INTERNAL_CHAIN);
        declare(doc, INBOUND_CHAIN);
        rule(doc, FORWARD_CHAIN).append("-j ").append(INTERNAL_CHAIN).append('\n');
        // Every bridge's inbound checks come before any bridge's way out, or "-i a ! -o a -j ACCEPT"
        // would let network a into network b.
        for (BridgeNetwork b : bridges) {
            rule(doc, FORWARD_CHAIN).append("-o ").append(b.bridge())
                    .append(" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
        }
        for (BridgeNetwork b : bridges) {
            rule(doc, FORWARD_CHAIN).append("-o ").append(b.bridge()).append(" -j ").append(INBOUND_CHAIN)
                    .append('\n');
        }
        for (BridgeNetwork b : bridges) {
            String br = b.bridge();
            rule(doc, FORWARD_CHAIN).append("-i ").append(br).append(" -o ").append(br)
                    .append(b.icc() ? " -j ACCEPT\n" : " -j DROP\n");
            if (!b.internal()) {
                rule(doc, FORWARD_CHAIN).append("-i ").append(br).append(" ! -o ").append(br).append(" -j ACCEPT\n");
            }
        }
        for (BridgeNetwork b : bridges) {
            if (b.internal()) {
                rule(doc, INTERNAL_CHAIN).append("! -s ").append(b.subnet()).append(" -o ").append(b.bridge())
                        .append(" -j DROP\n");
                rule(doc, INTERNAL_CHAIN).append("! -d ").append(b.subnet()).append(" -i ").append(b.bridge())
                        .append(" -j DROP\n");
            }
        }
        for (BridgeNetwork b : bridges) {
            if (!b.internal()) {
                // Whatever our DNAT sent in (only published ports); one rule per bridge where Docker
                // writes one per port, so a host with 10,000 ports keeps about one rule per port.
                rule(doc, INBOUND_CHAIN).append("! -i ").append(b.bridge()).append(" -o ").append(b.bridge())
                        .append(" -m conntrack --ctstate DNAT -j ACCEPT\n");
            }
        }
        for (BridgeNetwork b : bridges) {
            rule(doc, INBOUND_CHAIN).append("! -i ").append(b.bridge()).append(" -o ").append(b.bridge())
                    .append(" -j DROP\n");
        }
        doc.append("COMMIT\n");
    }

    private static void declare(StringBuilder doc, String chain) {
        doc.append(':').append(chain).append(" - [0:0]\n");
    }

    private static StringBuilder rule(StringBuilder doc, String chain) {
        return doc.append("-A ").append(chain).append(' ');
    }

    private static StringBuilder protocolPort(StringBuilder doc, String protocol, int port) {
        return doc.append("-p ").append(protocol).append(" -m ").append(protocol).append(" --dport ").append(port);
    }
}
