package io.netplane.nat.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.events.model.PortBinding;
import io.netplane.nat.rules.BridgeNetwork;
import io.netplane.nat.rules.HostFirewall;
import io.netplane.nat.rules.PublishedPort;
import io.netplane.nat.rules.RulesetCompiler;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bindings a ruleset carries for the agent: exactly the ports it DNATs. */
class RulesetBindingsTest {

    private static final BridgeNetwork WEB = new BridgeNetwork("w1", "br-aaaaaaaaaaaa", "172.18.0.0/16", false, true,
            true);
    private static final BridgeNetwork VAULT = new BridgeNetwork("v1", "br-bbbbbbbbbbbb", "172.19.0.0/16", true, true,
            true);

    @Test
    void everyPortTheRulesetPublishesAndNoneOnAnInternalNetwork() {
        List<PublishedPort> ports = List.of(
                new PublishedPort(WEB.bridge(), "0.0.0.0", 8080, "tcp", "172.18.0.2", 80),
                new PublishedPort(WEB.bridge(), "0.0.0.0", 5353, "udp", "172.18.0.2", 53),
                new PublishedPort(WEB.bridge(), "192.0.2.11", 8081, "tcp", "172.18.0.2", 81),
                new PublishedPort(WEB.bridge(), "0.0.0.0", 9000, "sctp", "172.18.0.2", 9000),
                new PublishedPort(VAULT.bridge(), "0.0.0.0", 8082, "tcp", "172.19.0.2", 80));

        var ruleset = new RulesetCompiler().compile(new HostFirewall("h1", List.of(WEB, VAULT), ports));

        assertThat(HostRulesets.bindings(ruleset)).containsExactlyInAnyOrder(
                new PortBinding("tcp", "0.0.0.0", 8080, "172.18.0.2", 80),
                new PortBinding("udp", "0.0.0.0", 5353, "172.18.0.2", 53),
                new PortBinding("tcp", "192.0.2.11", 8081, "172.18.0.2", 81),
                new PortBinding("sctp", "0.0.0.0", 9000, "172.18.0.2", 9000));
    }
}
