package io.netplane.agent.firewall;

import static io.netplane.agent.firewall.Documents.of;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RulesetDeltaTest {

    @Test
    void aPortAddedToARangeInUseIsInsertedAtItsPlace() {
        String delta = RulesetDelta.between(of(8080, 8082), of(8080, 8081, 8082));
        assertThat(delta).isEqualTo("""
                *nat
                -I NETPLANE-TCP-8000 2 -p tcp -m tcp --dport 8081 -j DNAT --to-destination 172.30.1.83:80
                COMMIT
                """);
    }

    @Test
    void aPortRemovedFromARangeInUseRewritesThatRangeOnly() {
        String delta = RulesetDelta.between(of(8080, 8081), of(8080));
        assertThat(delta).isEqualTo("""
                *nat
                :NETPLANE-TCP-8000 - [0:0]
                -A NETPLANE-TCP-8000 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.30.1.82:80
                COMMIT
                """);
    }

    @Test
    void aPortInANewRangeCreatesItsChainAndInsertsTheJumpToIt() {
        String delta = RulesetDelta.between(of(8080), of(8080, 9000));
        assertThat(delta).isEqualTo("""
                *nat
                :NETPLANE-TCP-9000 - [0:0]
                -A NETPLANE-TCP-9000 -p tcp -m tcp --dport 9000 -j DNAT --to-destination 172.30.1.2:80
                -I NETPLANE 2 -p tcp -m tcp --dport 9000:9099 -j NETPLANE-TCP-9000
                COMMIT
                """);
    }

    @Test
    void theLastPortOfARangeTakesItsChainAway() {
        String delta = RulesetDelta.between(of(8080), of());
        assertThat(delta).isEqualTo("""
                *nat
                :NETPLANE - [0:0]
                :NETPLANE-TCP-8000 - [0:0]
                -X NETPLANE-TCP-8000
                COMMIT
                """);
    }

    @Test
    void sameDocumentsGiveAnEmptyDelta() {
        assertThat(RulesetDelta.between(of(1), of(1))).isEmpty();
    }

    @Test
    void aNewBridgeInsertsItsRulesAndTouchesNoPortChain() {
        String delta = RulesetDelta.between(of(8080), of(List.of("br-other"), 8080));
        assertThat(delta).contains("-I NETPLANE-FORWARD 2 -o br-other -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                        "-I NETPLANE-INBOUND 2 ! -i br-other -o br-other -m conntrack --ctstate DNAT -j ACCEPT")
                .doesNotContain("NETPLANE-TCP", ":", "-X ");
    }
}
