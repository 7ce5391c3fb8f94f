package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.localcluster.up.SimulatedHosts;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** S5's other half: isolation between bridge networks, internal networks, and the way out. */
class IsolationTest extends Scenario {

    @Test
    void twoBridgeNetworksCannotReachEachOtherAndNamesStayOnTheirNetwork() {
        network("{\"name\":\"red\",\"driver\":\"bridge\"}");
        network("{\"name\":\"blue\",\"driver\":\"bridge\"}");
        JsonNode red = container("{\"name\":\"red1\",\"hostId\":\"h1\",\"sandbox\":\"create\",\"networks\":[{\"network\":\"red\"}]}");
        JsonNode blue = container("{\"name\":\"blue1\",\"hostId\":\"h1\",\"sandbox\":\"create\",\"networks\":[{\"network\":\"blue\"}]}");
        String blueIp = address(blue, "blue");

        // The ruleset reaches the agent after the endpoint itself: isolation holds once it has.
        // A ping lost while the ruleset is being applied is no proof: isolation must hold for 5 s running.
        await().atMost(SETTLE).during(Duration.ofSeconds(5)).until(() -> !pingOnce(sandbox(red), blueIp));
        assertNxdomain(sandbox(red), "blue1");
        pingSucceeds(sandbox(red), SimulatedHosts.OUTSIDE_ADDRESS);
    }

    @Test
    void anInternalNetworkHasNoWayOutButItsMembersTalk() {
        JsonNode vault = network("{\"name\":\"vault\",\"driver\":\"bridge\",\"internal\":true}");
        JsonNode a = container("{\"name\":\"vault-a\",\"hostId\":\"h1\",\"sandbox\":\"create\",\"networks\":[{\"network\":\"vault\"}]}");
        JsonNode b = container("{\"name\":\"vault-b\",\"hostId\":\"h1\",\"sandbox\":\"create\",\"networks\":[{\"network\":\"vault\"}]}");

        pingSucceeds(sandbox(a), address(b, "vault"));
        // as Docker's bridge driver: a default route via the gateway, which answers; only the way out is shut
        String gateway = vault.get("ipam").get(0).get("gateway").asText();
        assertThat(TestBed.inSandbox(sandbox(a), "ip", "route", "show", "default").output())
                .startsWith("default via " + gateway + " dev eth0");
        pingSucceeds(sandbox(a), gateway);
        await().atMost(SETTLE).during(Duration.ofSeconds(5))
                .until(() -> !pingOnce(sandbox(a), SimulatedHosts.OUTSIDE_ADDRESS));
    }

    @Test
    void anOverlayContainerGoesOutThroughItsHostsGatewayBridge() {
        network("{\"name\":\"ovl-out\",\"driver\":\"overlay\"}");
        JsonNode c = container("{\"name\":\"roamer\",\"hostId\":\"h2\",\"sandbox\":\"create\",\"networks\":[{\"network\":\"ovl-out\"}]}");
        assertThat(c.get("endpoints").toString()).contains("netplane_gwbridge");
        pingSucceeds(sandbox(c), SimulatedHosts.OUTSIDE_ADDRESS);
    }
}
