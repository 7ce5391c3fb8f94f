package io.netplane.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.agent.support.GoldenRulesets;
import io.netplane.agent.support.GoldenRulesets.Golden;
import io.netplane.agent.trust.RefusedRecord;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The allow-list over nat-service's real output (its golden documents) and over hostile documents. */
class RulesetPolicyTest {

    static List<Golden> goldenRulesets() {
        List<Golden> all = GoldenRulesets.all();
        assertThat(all).as("nat-service's golden documents").hasSizeGreaterThanOrEqualTo(8);
        return all;
    }

    @ParameterizedTest
    @MethodSource("goldenRulesets")
    void everyGoldenDocumentOfNatServiceIsAccepted(Golden golden) {
        assertThat(golden.jumps()).isNotEmpty();
        assertThatCode(() -> RulesetPolicy.check(golden.document(), golden.jumps())).doesNotThrowAnyException();
    }

    @Test
    void aDeltaAsRulesetDeltaWritesItIsAccepted() {
        String delta = """
                *nat
                :NETPLANE-TCP-8000 - [0:0]
                -A NETPLANE-TCP-8000 -p tcp -m tcp --dport 8081 -j DNAT --to-destination 172.22.0.3:80
                -I NETPLANE 2 -p udp -m udp --dport 5300:5399 -j NETPLANE-UDP-5300
                -X NETPLANE-SCTP-9000
                COMMIT
                """;
        assertThatCode(() -> RulesetPolicy.checkDocument(delta)).doesNotThrowAnyException();
    }

    private static final String NAT_HEAD = "*nat\n:NETPLANE - [0:0]\n:NETPLANE-POSTROUTING - [0:0]\n";
    private static final String FILTER_HEAD = "*filter\n:NETPLANE-FORWARD - [0:0]\n";

    static Stream<List<String>> hostileDocuments() {
        return Stream.of(
                List.of(FILTER_HEAD + "-F FORWARD\nCOMMIT\n", "only -A, -I, -D and -X"),
                List.of(FILTER_HEAD + "-A INPUT -j ACCEPT\nCOMMIT\n", "chain INPUT is not netplane's"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -j FORWARD\nCOMMIT\n", "target FORWARD"),
                List.of(NAT_HEAD + "-A NETPLANE-POSTROUTING -j POSTROUTING\nCOMMIT\n", "target POSTROUTING"),
                // a bridge name "x\n-F FORWARD" written into the document by a careless producer
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -o x\n-F FORWARD -j ACCEPT\nCOMMIT\n", "line 3"),
                List.of(NAT_HEAD + "-A NETPLANE -p tcp -m tcp --dport 80 -j DNAT --to-destination evil.example:80\nCOMMIT\n",
                        "--to-destination evil.example:80 is not an IPv4 address and port"),
                List.of(NAT_HEAD + "-A NETPLANE -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.18.0.2\nCOMMIT\n",
                        "not an IPv4 address and port"),
                List.of(NAT_HEAD + "-A NETPLANE -p tcp -m tcp --dport 80 -j DNAT --to-destination 300.1.1.1:80\nCOMMIT\n",
                        "not an IPv4 address and port"),
                List.of("*raw\n:NETPLANE - [0:0]\n-A NETPLANE -j ACCEPT\nCOMMIT\n", "table raw is not one netplane uses"),
                List.of("*mangle\n:NETPLANE - [0:0]\nCOMMIT\n", "table mangle"),
                List.of(FILTER_HEAD + "-X DOCKER-USER\nCOMMIT\n", "chain DOCKER-USER is not netplane's"),
                List.of("*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n", "chain FORWARD is not netplane's"),
                List.of("*filter\n:NETPLANE-FORWARD ACCEPT [0:0]\nCOMMIT\n", "declared as"),
                List.of("# just a comment\n*filter\nCOMMIT\n", "line 1"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -j ACCEPT #\nCOMMIT\n", "comments and quotes"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -i \"a b\" -j ACCEPT\nCOMMIT\n", "comments and quotes"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -m comment --comment x -j ACCEPT\nCOMMIT\n", "-m comment"),
                // COMMIT in the middle, then a second table: the same table again, or what follows a COMMIT
                List.of(FILTER_HEAD + "COMMIT\n*filter\n-A FORWARD -j ACCEPT\nCOMMIT\n", "table filter comes twice"),
                List.of(NAT_HEAD + "COMMIT\n*filter\n-A FORWARD -j ACCEPT\nCOMMIT\n", "chain FORWARD is not netplane's"),
                List.of(FILTER_HEAD + "COMMIT\n-A NETPLANE-FORWARD -j ACCEPT\n", "only a table"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -j ACCEPT\n", "has no COMMIT"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -i + -j ACCEPT\nCOMMIT\n", "wildcard"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -o br-0123456789abcdef -j ACCEPT\nCOMMIT\n",
                        "1 to 15 characters"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -o br-0\r -j ACCEPT\nCOMMIT\n", "U+000D"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD  -j ACCEPT\nCOMMIT\n", "exactly one space"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -j ACCEPT -i eth0\nCOMMIT\n", "-i after the target"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -s 10.0.0.0/33 -j ACCEPT\nCOMMIT\n", "not an IPv4"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -p icmp -j ACCEPT\nCOMMIT\n", "protocol icmp"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -j DNAT --to-destination 1.2.3.4:80\nCOMMIT\n",
                        "target DNAT is not one netplane uses in table filter"),
                List.of(NAT_HEAD + "-A NETPLANE -p tcp -m tcp --dport 99999 -j RETURN\nCOMMIT\n", "--dport 99999"),
                List.of(NAT_HEAD + "-A NETPLANE -j SNAT --to-source 1.2.3.4\nCOMMIT\n", "target SNAT"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -j NETPLANE-" + "X".repeat(30) + "\nCOMMIT\n",
                        "target NETPLANE-XXX"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -g NETPLANE-INBOUND\nCOMMIT\n", "option -g"),
                List.of(FILTER_HEAD + "\n-A NETPLANE-FORWARD -j ACCEPT\nCOMMIT\n", "an empty line"),
                List.of(FILTER_HEAD + "-A NETPLANE-FORWARD -j ACCEPT\nCOMMIT", "does not end with a newline"));
    }

    @ParameterizedTest
    @MethodSource("hostileDocuments")
    void aHostileDocumentIsRefusedWithItsReason(List<String> documentAndReason) {
        assertThatThrownBy(() -> RulesetPolicy.check(documentAndReason.get(0), List.of()))
                .isInstanceOf(RefusedRecord.class).hasMessageContaining(documentAndReason.get(1));
    }

    @Test
    void jumpsOnlyFromTheHooksNatServiceUsesAndOnlyToNetplaneChains() {
        assertThatCode(() -> RulesetPolicy.check("", List.of("nat OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j NETPLANE")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> RulesetPolicy.check("", List.of("filter INPUT -j NETPLANE-FORWARD")))
                .isInstanceOf(RefusedRecord.class).hasMessageContaining("not from INPUT");
        assertThatThrownBy(() -> RulesetPolicy.check("", List.of("filter FORWARD -j ACCEPT")))
                .isInstanceOf(RefusedRecord.class).hasMessageContaining("must go to a netplane chain, not ACCEPT");
        assertThatThrownBy(() -> RulesetPolicy.check("", List.of("raw PREROUTING -j NETPLANE")))
                .isInstanceOf(RefusedRecord.class).hasMessageContaining("table raw");
        assertThatThrownBy(() -> RulesetPolicy.check("", List.of("nat PREROUTING -j NETPLANE -i eth0")))
                .isInstanceOf(RefusedRecord.class).hasMessageContaining("after the target");
        assertThatThrownBy(() -> RulesetPolicy.check("", List.of("nat POSTROUTING -o eth0\n-j NETPLANE")))
                .isInstanceOf(RefusedRecord.class).hasMessageContaining("U+000A");
    }

    @Test
    void aHostileLineIsRefusedInTheRevisionAfterAnAcceptedOne() {
        String accepted = Documents.of(8080, 8081);
        RulesetPolicy.check(accepted, Documents.JUMPS);
        String next = accepted.replace("COMMIT\n*filter", "-A NETPLANE -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n*filter");
        assertThatThrownBy(() -> RulesetPolicy.check(next, Documents.JUMPS)).isInstanceOf(RefusedRecord.class)
                .hasMessageContaining("line 9 \"-A NETPLANE -p tcp -m tcp --dport 22 -j ACCEPT\"")
                .hasMessageContaining("target ACCEPT");
    }

    @Test
    void aLineAcceptedInOneTableIsCheckedAgainInAnother() {
        String filter = "*filter\n:NETPLANE-FORWARD - [0:0]\n-A NETPLANE-FORWARD -o br-web -j ACCEPT\nCOMMIT\n";
        RulesetPolicy.check(filter, List.of());
        String nat = "*nat\n:NETPLANE-FORWARD - [0:0]\n-A NETPLANE-FORWARD -o br-web -j ACCEPT\nCOMMIT\n";
        assertThatThrownBy(() -> RulesetPolicy.check(nat, List.of())).isInstanceOf(RefusedRecord.class)
                .hasMessageContaining("target ACCEPT is not one netplane uses in table nat");
    }
}
