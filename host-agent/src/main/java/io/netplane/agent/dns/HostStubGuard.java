package io.netplane.agent.dns;

import io.netplane.agent.firewall.IptablesRunner;
import io.netplane.agent.netlink.AddressInfo;
import io.netplane.agent.netlink.LinkInfo;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.netlink.RtNetlink;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Keeps the host's DNS stub from being an open resolver on the underlay: a query to the stub's
 * address that arrives on the interface holding that address (from another machine) is dropped;
 * queries from the host's containers arrive on their bridges, and the host's own on lo. The
 * agent's own chain {@value #CHAIN}, jumped to from INPUT for udp and tcp port 53 of that address.
 * Nothing to close when the address sits on lo (no other machine reaches it there).
 */
public final class HostStubGuard {

    static final String CHAIN = "NP-DNS";
    private static final Logger LOG = Logger.getLogger(HostStubGuard.class);
    /** A kernel interface name fit for rule text (the kernel allows more, which is then left alone). */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private final NamespaceManager namespaces;
    private final IptablesRunner iptables;

    public HostStubGuard(NamespaceManager namespaces, IptablesRunner iptables) {
        this.namespaces = namespaces;
        this.iptables = iptables;
    }

    /** Drops queries to {@code address}:53 that come in on its own interface in the namespace at {@code netns}. */
    public void close(Path netns, InetAddress address) {
        Optional<String> iface = interfaceOf(netns, address.getHostAddress());
        if (iface.isEmpty() || "lo".equals(iface.get())) {
            return;
        }
        if (!SAFE_NAME.matcher(iface.get()).matches()) {
            LOG.warnf("DNS on %s stays open to other machines: interface name %s is not used in a rule",
                    address.getHostAddress(), iface.get());
            return;
        }
        String doc = "*filter\n:" + CHAIN + " - [0:0]\n-A " + CHAIN + " -i " + iface.get() + " -j DROP\nCOMMIT\n";
        iptables.must(netns, List.of("iptables-restore", "--noflush"), doc); // declaring the chain flushes it
        for (String protocol : List.of("udp", "tcp")) {
            iptables.ensureRule(netns, "filter", "INPUT",
                    List.of("-d", address.getHostAddress() + "/32", "-p", protocol, "--dport", "53", "-j", CHAIN), true);
        }
        LOG.infof("DNS on %s closed to queries arriving on %s", address.getHostAddress(), iface.get());
    }

    private Optional<String> interfaceOf(Path netns, String address) {
        try (RtNetlink nl = namespaces.rtnetlink(netns)) {
            for (AddressInfo a : nl.addresses()) {
                if (address.equals(a.address())) {
                    return nl.links().stream().filter(l -> l.index() == a.index()).map(LinkInfo::name).findFirst();
                }
            }
        }
        return Optional.empty();
    }
}
