package io.netplane.agent.firewall;

import static io.netplane.agent.firewall.Documents.JUMPS;
import static io.netplane.agent.firewall.Documents.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.support.NamespaceLab;
import io.netplane.agent.support.Shell;
import io.netplane.agent.trust.RefusedRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * New revisions applied as deltas with the real iptables in namespaces the test makes: what they
 * leave is compared with what the whole document leaves in a namespace of its own.
 */
class FirewallDeltaTest {

    @RegisterExtension
    static final NamespaceLab LAB = new NamespaceLab();
    private final Firewall firewall = new Firewall(new IptablesRunner(30));
    private String ns;
    private Path netns;

    @BeforeEach
    void fresh() {
        ns = LAB.namespaces().create("fwd");
        netns = NamespaceManager.pathOf(ns);
    }

    /** netplane's chains and jumps as the whole document leaves them in a namespace of their own. */
    private String wholeDocumentGives(String document) {
        Path other = NamespaceManager.pathOf(LAB.namespaces().create("fww"));
        return new Firewall(new IptablesRunner(30)).apply(other, document, JUMPS);
    }

    private String save() {
        return Shell.must("ip", "netns", "exec", ns, "iptables-save").lines().filter(l -> !l.startsWith("#"))
                .map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "")).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void revisionsAppliedAsDeltasLeaveWhatTheWholeDocumentLeaves() {
        firewall.apply(netns, of(8080, 8081), JUMPS);
        List<String> revisions = List.of(
                of(8080, 8081, 8082), // a port added to a range in use
                of(8080, 8082), // one removed from it
                of(8080, 8082, 9000), // a new range: its chain and the jump to it
                of(8082, 9000), of(9000), // the first range emptied: its chain goes
                of(List.of("br-other"), 9000, 9001), // a new bridge
                of(List.of("br-other")));
        for (String revision : revisions) {
            firewall.applyRevision(netns, revision, JUMPS);
            assertThat(firewall.state(netns)).as("applied as a delta, not read back").isEqualTo(Firewall.State.UNKNOWN);
            assertThat(firewall.ownRules(netns)).as(revision).isEqualTo(wholeDocumentGives(revision));
        }
        assertThat(save()).doesNotContain("NETPLANE-TCP");
    }

    @Test
    void aRuleDeletedByHandIsRepairedByTheWholeDocument() {
        firewall.apply(netns, of(8080, 8081), JUMPS);
        assertThat(firewall.state(netns)).isEqualTo(Firewall.State.CURRENT);
        Shell.must("ip", "netns", "exec", ns, "iptables", "-t", "nat", "-D", "NETPLANE-TCP-8000", "1");
        assertThat(firewall.state(netns)).as("drift seen").isEqualTo(Firewall.State.DRIFTED);

        // a delta touches only the chains that changed: the deleted rule stays missing
        firewall.applyRevision(netns, of(8080, 8081, 9000), JUMPS);
        assertThat(save()).doesNotContain("--dport 8080 -j DNAT").contains("--dport 9000 -j DNAT");

        firewall.apply(netns, of(8080, 8081, 9000), JUMPS);
        assertThat(firewall.ownRules(netns)).isEqualTo(wholeDocumentGives(of(8080, 8081, 9000)));
        assertThat(firewall.state(netns)).isEqualTo(Firewall.State.CURRENT);
    }

    @Test
    void aDeltaIptablesCannotApplyFallsBackToTheWholeDocument() {
        firewall.apply(netns, of(8080, 8082), JUMPS);
        // the delta inserts at position 2 of this chain, which no longer has a rule 1
        Shell.must("ip", "netns", "exec", ns, "iptables", "-t", "nat", "-F", "NETPLANE-TCP-8000");

        firewall.applyRevision(netns, of(8080, 8081, 8082), JUMPS);

        assertThat(firewall.ownRules(netns)).isEqualTo(wholeDocumentGives(of(8080, 8081, 8082)));
        assertThat(firewall.state(netns)).as("the whole document was read back").isEqualTo(Firewall.State.CURRENT);
    }

    @Test
    void aDeltaThePolicyRefusesAppliesNothing() {
        firewall.apply(netns, of(8080), JUMPS);
        String before = save();
        // iptables takes ACCEPT in the nat table; nat-service never writes it
        String hostile = of(8080, 8081).replace("COMMIT\n*filter", "-A NETPLANE -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n*filter");

        assertThatThrownBy(() -> firewall.applyRevision(netns, hostile, JUMPS)).isInstanceOf(RefusedRecord.class)
                .hasMessageContaining("target ACCEPT");

        assertThat(save()).isEqualTo(before);
        // the refused revision is not taken as applied: the next delta is from the last one applied
        firewall.applyRevision(netns, of(8080, 8081), JUMPS);
        assertThat(firewall.ownRules(netns)).isEqualTo(wholeDocumentGives(of(8080, 8081)));
    }
}
