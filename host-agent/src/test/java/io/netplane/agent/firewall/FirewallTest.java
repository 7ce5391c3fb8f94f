package io.netplane.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.support.NamespaceLab;
import io.netplane.agent.support.Shell;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ruleset applied with iptables-restore --noflush inside a namespace the test makes. */
class FirewallTest {

    static final String DOCUMENT = """
            *nat
            :NETPLANE - [0:0]
            :NETPLANE-POSTROUTING - [0:0]
            -A NETPLANE -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80
            -A NETPLANE-POSTROUTING -s 172.18.0.0/16 ! -o br-0123456789ab -j MASQUERADE
            COMMIT
            """;
    static final List<String> JUMPS = List.of("nat PREROUTING -m addrtype --dst-type LOCAL -j NETPLANE",
            "nat OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j NETPLANE",
            "nat POSTROUTING -j NETPLANE-POSTROUTING");

    @RegisterExtension
    static final NamespaceLab LAB = new NamespaceLab();
    private Path netns;
    private String ns;
    private final Firewall firewall = new Firewall(new IptablesRunner(30));

    @BeforeEach
    void fresh() {
        ns = LAB.namespaces().create("fw");
        netns = NamespaceManager.pathOf(ns);
        // someone else's rule, which netplane must never touch
        Shell.must("ip", "netns", "exec", ns, "iptables", "-t", "nat", "-A", "POSTROUTING", "-s", "10.9.9.0/24",
                "-j", "MASQUERADE");
    }

    private String saveNat() {
        return Shell.must("ip", "netns", "exec", ns, "iptables-save", "-t", "nat").lines()
                .filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "")).reduce("",
                        (a, b) -> a + b + "\n");
    }

    @Test
    void aChainTheNewDocumentNoLongerDeclaresIsRemovedWithItsRules() {
        String withRange = """
                *nat
                :NETPLANE - [0:0]
                :NETPLANE-TCP-32700 - [0:0]
                -A NETPLANE -p tcp -m tcp --dport 32700:32799 -j NETPLANE-TCP-32700
                -A NETPLANE-TCP-32700 -p tcp -m tcp --dport 32768 -j DNAT --to-destination 172.18.0.2:80
                COMMIT
                """;
        String applied = firewall.apply(netns, withRange, JUMPS.subList(0, 1));
        assertThat(saveNat()).contains(":NETPLANE-TCP-32700").contains("--dport 32768 -j DNAT");
        assertThat(applied).as("what apply reports without a second read").isEqualTo(firewall.ownRules(netns));

        applied = firewall.apply(netns, DOCUMENT, JUMPS);
        assertThat(applied).as("what apply reports after removing a chain").isEqualTo(firewall.ownRules(netns));
        assertThat(saveNat()).doesNotContain("NETPLANE-TCP-32700").doesNotContain("--dport 32768")
                .contains("--dport 8080 -j DNAT --to-destination 172.18.0.2:80")
                .contains("-A POSTROUTING -s 10.9.9.0/24 -j MASQUERADE");
    }

    @Test
    void appliedTwiceEqualsAppliedOnce() {
        firewall.apply(netns, DOCUMENT, JUMPS);
        String once = saveNat();
        firewall.apply(netns, DOCUMENT, JUMPS);
        assertThat(saveNat()).isEqualTo(once);

        assertThat(once).contains("-A NETPLANE -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80")
                .contains("-A POSTROUTING -j NETPLANE-POSTROUTING")
                .contains("-A POSTROUTING -s 10.9.9.0/24 -j MASQUERADE");
        assertThat(once.lines().filter(l -> l.contains("-j NETPLANE-POSTROUTING")).count()).isEqualTo(1);
        assertThat(once.lines().filter(l -> l.startsWith("-A PREROUTING")).count()).isEqualTo(1);
    }

    @Test
    void newDocumentReplacesOnlyNetplaneChainsAndDropsStaleJumps() {
        firewall.apply(netns, DOCUMENT, JUMPS);
        String second = """
                *nat
                :NETPLANE - [0:0]
                -A NETPLANE -p tcp -m tcp --dport 9090 -j DNAT --to-destination 172.18.0.3:80
                COMMIT
                """;
        firewall.apply(netns, second, JUMPS.subList(0, 2));
        String now = saveNat();
        assertThat(now).contains("--dport 9090").doesNotContain("--dport 8080")
                .doesNotContain("-A POSTROUTING -j NETPLANE-POSTROUTING")
                .contains("-A POSTROUTING -s 10.9.9.0/24 -j MASQUERADE");
    }

    @Test
    void ruleRemovedByHandIsSeenAsDriftAndRepaired() {
        firewall.apply(netns, DOCUMENT, JUMPS);
        String applied = firewall.ownRules(netns);
        Shell.must("ip", "netns", "exec", ns, "iptables", "-t", "nat", "-D", "POSTROUTING", "-j",
                "NETPLANE-POSTROUTING");
        Shell.must("ip", "netns", "exec", ns, "iptables", "-t", "nat", "-F", "NETPLANE");
        assertThat(firewall.ownRules(netns)).isNotEqualTo(applied);
        firewall.apply(netns, DOCUMENT, JUMPS);
        assertThat(firewall.ownRules(netns)).isEqualTo(applied);
    }

    @Test
    void clearRemovesOnlyNetplane() {
        firewall.apply(netns, DOCUMENT, JUMPS);
        firewall.clear(netns);
        String now = saveNat();
        assertThat(now).doesNotContain("NETPLANE").contains("-A POSTROUTING -s 10.9.9.0/24 -j MASQUERADE");
    }

    @Test
    void brokenDocumentIsRefusedWithIptablesMessageAndChangesNothing() {
        firewall.apply(netns, DOCUMENT, JUMPS);
        String before = saveNat();
        assertThatThrownBy(() -> firewall.apply(netns, "*nat\n:NETPLANE - [0:0]\n-A NETPLANE -j NOSUCHTARGET\nCOMMIT\n",
                JUMPS)).isInstanceOf(FirewallException.class).hasMessageContaining("iptables-restore");
        assertThat(saveNat()).isEqualTo(before);
    }
}
