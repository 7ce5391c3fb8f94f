package io.netplane.nat.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RulesetDeltaTest {

    private final RulesetCompiler compiler = new RulesetCompiler();
    private final BridgeNetwork web = new BridgeNetwork("n", "br-web", "172.30.1.0/24", false, true, true);

    private String doc(List<BridgeNetwork> bridges, PublishedPort... ports) {
        return compiler.compile(new HostFirewall("h", bridges, List.of(ports))).document();
    }

    private PublishedPort port(int hostPort) {
        return new PublishedPort("br-web", "0.0.0.0", hostPort, "tcp", "172.30.1.2", 80);
    }

    @Test
    void aPortAddedToARangeInUseIsInsertedAtItsPlace() {
        String delta = RulesetDelta.between(doc(List.of(web), port(8080), port(8082)),
                doc(List.of(web), port(8080), port(8081), port(8082)));
        assertThat(delta).isEqualTo("""
                *nat
                -I NETPLANE-TCP-8000 2 -p tcp -m tcp --dport 8081 -j DNAT --to-destination 172.30.1.2:80
                COMMIT
                """);
    }

    @Test
    void aPortRemovedFromARangeInUseRewritesThatRangeOnly() {
        String delta = RulesetDelta.between(doc(List.of(web), port(8080), port(8081)), doc(List.of(web), port(8080)));
        assertThat(delta).isEqualTo("""
                *nat
                :NETPLANE-TCP-8000 - [0:0]
                -A NETPLANE-TCP-8000 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.30.1.2:80
                COMMIT
                """);
    }

    @Test
    void aPortInANewRangeCreatesItsChainAndInsertsTheJumpToIt() {
        String delta = RulesetDelta.between(doc(List.of(web), port(8080)), doc(List.of(web), port(8080), port(9000)));
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
        String delta = RulesetDelta.between(doc(List.of(web), port(8080)), doc(List.of(web)));
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
        assertThat(RulesetDelta.between(doc(List.of(web), port(1)), doc(List.of(web), port(1)))).isEmpty();
    }

    @Test
    void aNewBridgeInsertsItsRulesAndTouchesNoPortChain() {
        BridgeNetwork other = new BridgeNetwork("o", "br-other", "172.30.2.0/24", false, true, true);
        String delta = RulesetDelta.between(doc(List.of(web), port(8080)), doc(List.of(web, other), port(8080)));
        assertThat(delta).contains("-I NETPLANE-FORWARD 2 -o br-other -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                        "-I NETPLANE-INBOUND 1 ! -i br-other -o br-other -m conntrack --ctstate DNAT -j ACCEPT")
                .doesNotContain("NETPLANE-TCP", ":", "-X ");
    }
}
