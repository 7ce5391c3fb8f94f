package io.netplane.agent.reconcile;

import io.netplane.agent.firewall.IptablesRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;

/**
 * Frames bridged between two ports of one netplane bridge (two containers, or a container and the
 * VXLAN port) pass iptables' FORWARD once br_netfilter is loaded; dockerd sets that chain's policy
 * to DROP, so on a host where dockerd runs they are dropped unless something accepts them. Docker
 * does it for docker0; nat-service's ruleset does it for bridge networks with endpoints here, but
 * not for overlay bridges. This is the agent's own chain, {@value #CHAIN}, jumped to first from
 * FORWARD, with one "-i br -o br -j ACCEPT" per bridge whose network lets its containers talk
 * (icc): isolation between networks is left as it is. Not named NETPLANE-*: those are nat-service's.
 */
final class BridgedForwarding {

    static final String CHAIN = "NP-BRIDGED";

    private final IptablesRunner iptables;
    private String applied;

    BridgedForwarding(IptablesRunner iptables) {
        this.iptables = iptables;
    }

    /** {@code bridges}: names checked by RecordCheck as netplane's own link names (safe in rule text). */
    void sync(Path netns, SortedSet<String> bridges, boolean full) {
        StringBuilder doc = new StringBuilder("*filter\n:").append(CHAIN).append(" - [0:0]\n");
        for (String br : bridges) {
            doc.append("-A ").append(CHAIN).append(" -i ").append(br).append(" -o ").append(br).append(" -j ACCEPT\n");
        }
        doc.append("COMMIT\n");
        String wanted = doc.toString();
        if (!full && wanted.equals(applied)) {
            return;
        }
        iptables.must(netns, List.of("iptables-restore", "--noflush"), wanted); // declaring the chain flushes it
        iptables.ensureRule(netns, "filter", "FORWARD", List.of("-j", CHAIN), true);
        applied = wanted;
    }

    void forget() {
        applied = null;
    }
}
