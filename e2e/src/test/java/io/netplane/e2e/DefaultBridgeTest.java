package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** S2: the default bridge, and S3: --link, on host h1. */
class DefaultBridgeTest extends Scenario {

    @Test
    void containersOnTheDefaultBridgePingByAddressButNotByName() {
        JsonNode test1 = container("{\"name\":\"test1\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"bridge\"}]}");
        JsonNode test2 = container("{\"name\":\"test2\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"bridge\"}]}");

        assertThat(address(test1, "bridge")).isEqualTo("172.17.0.2");
        assertThat(address(test2, "bridge")).isEqualTo("172.17.0.3");
        assertThat(test1.get("endpoints").get(0).get("macAddress").asText()).isEqualTo("02:42:ac:11:00:02");
        String inside = TestBed.inSandbox(sandbox(test1), "ip", "-o", "addr", "show", "eth0").output();
        assertThat(inside).contains("172.17.0.2/16");

        pingSucceeds(sandbox(test1), "172.17.0.3");
        pingSucceeds(sandbox(test2), "172.17.0.2");
        // no embedded DNS on the default bridge: the host's resolv.conf (here its own resolver on the
        // underlay, as its dockerd's), which answers outside names and no container's
        assertThat(TestBed.inSandbox(sandbox(test1), "cat", "/etc/resolv.conf").output())
                .isEqualTo("nameserver " + bed.underlay("h1") + "\n");
        assertNxdomain(sandbox(test1), "test2");

        JsonNode bridge = bed.api.get("/v1/networks/bridge").body();
        assertThat(bridge.toString()).contains(test1.get("id").asText()).contains(test2.get("id").asText());
    }

    @Test
    void aLinkGoesOneWay() {
        JsonNode db = container("{\"name\":\"db1\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"bridge\"}]}");
        JsonNode app = container("{\"name\":\"app1\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"bridge\",\"links\":[{\"name\":\"db1\",\"alias\":\"database\"}]}]}");

        pingSucceeds(sandbox(app), "db1");
        pingSucceeds(sandbox(app), "database");
        assertPingFailsOnlyToResolve(sandbox(db), "app1");
    }
}
