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
    void oneAddedPortIsOneInsertAtItsPlace() {
        String delta = RulesetDelta.between(doc(List.of(web), port(8080)), doc(List.of(web), port(8080), port(8081)))
                .orElseThrow();
        assertThat(delta).isEqualTo("""
                *nat
                -I NETPLANE 2 -p tcp -m tcp --dport 8081 -j DNAT --to-destination 172.30.1.2:80
                COMMIT
                """);
    }

    @Test
    void aRemovedPortIsDeleted() {
        String delta = RulesetDelta.between(doc(List.of(web), port(8080)), doc(List.of(web))).orElseThrow();
        assertThat(delta).isEqualTo("""
                *nat
                -D NETPLANE 1
                COMMIT
                """);
    }

    @Test
    void deletesGoLastPositionFirst() {
        String delta = RulesetDelta.between(doc(List.of(web), port(1), port(2), port(3)), doc(List.of(web), port(2)))
                .orElseThrow();
        assertThat(delta).isEqualTo("""
                *nat
                -D NETPLANE 3
                -D NETPLANE 1
                COMMIT
                """);
    }

    @Test
    void sameDocumentsGiveAnEmptyDelta() {
        assertThat(RulesetDelta.between(doc(List.of(web), port(1)), doc(List.of(web), port(1)))).contains("");
    }

    @Test
    void aNewBridgeAddsItsRulesAtTheirPlaces() {
        BridgeNetwork other = new BridgeNetwork("o", "br-other", "172.30.2.0/24", false, true, true);
        String delta = RulesetDelta.between(doc(List.of(web)), doc(List.of(web, other))).orElseThrow();
        assertThat(delta).contains("-I NETPLANE-FORWARD 2 -o br-other -m conntrack --ctstate RELATED,ESTABLISHED")
                .doesNotContain("-D ");
    }
}
