package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** S8: an overlay network across three hosts over VXLAN. */
class OverlayTest extends Scenario {

    @Test
    void containersOnThreeHostsPingAndResolveEachOtherAcrossTheOverlay() {
        JsonNode demo = network("{\"name\":\"demo\",\"driver\":\"overlay\"}");
        assertThat(demo.get("scope").asText()).isEqualTo("global");
        assertThat(demo.get("ipam").get(0).get("subnet").asText()).isEqualTo("10.0.0.0/24");
        assertThat(demo.get("ipam").get(0).get("gateway").asText()).isEqualTo("10.0.0.1");

        JsonNode test1 = container("{\"name\":\"test1\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"demo\"}]}");
        JsonNode test2 = container("{\"name\":\"test2\",\"hostId\":\"h2\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"demo\"}]}");
        JsonNode test3 = container("{\"name\":\"test3\",\"hostId\":\"h3\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"demo\"}]}");
        assertThat(address(test1, "demo")).isEqualTo("10.0.0.2");
        assertThat(address(test2, "demo")).isEqualTo("10.0.0.3");
        assertThat(address(test3, "demo")).isEqualTo("10.0.0.4");
        assertThat(TestBed.inSandbox(sandbox(test1), "ip", "-o", "link", "show", "eth0").output()).contains("mtu 1450");

        pingSucceeds(sandbox(test1), "10.0.0.3");
        pingSucceeds(sandbox(test2), "10.0.0.2");
        pingSucceeds(sandbox(test3), "10.0.0.2");
        pingSucceeds(sandbox(test2), "10.0.0.4");
        await().atMost(SETTLE).untilAsserted(() -> {
            assertThat(dig(sandbox(test1), "test2")).isEqualTo("10.0.0.3");
            assertThat(dig(sandbox(test2), "test3.demo")).isEqualTo("10.0.0.4");
        });

        Api.Reply clash = bed.api.post("/v1/containers", "{\"name\":\"test1\",\"hostId\":\"h2\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"demo\"}]}");
        assertThat(clash.status()).isBetween(400, 499);
        assertThat(clash.body().toString()).contains("endpoint with name test1 already exists in network demo");
    }

    @Test
    void aHostLeavesTheMeshWithItsLastEndpointAndTheOthersStillTalk() {
        JsonNode shrink = network("{\"name\":\"shrink\",\"driver\":\"overlay\"}");
        String overlayPath = "/v1/overlay/networks/" + shrink.get("id").asText();
        JsonNode a = container("{\"name\":\"node-a\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"shrink\"}]}");
        JsonNode b = container("{\"name\":\"node-b\",\"hostId\":\"h2\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"shrink\"}]}");
        JsonNode c = container("{\"name\":\"node-c\",\"hostId\":\"h3\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"shrink\"}]}");
        pingSucceeds(sandbox(a), address(c, "shrink"));
        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(meshHosts(overlayPath)).containsExactlyInAnyOrder("h1", "h2", "h3"));

        assertThat(bed.api.delete("/v1/containers/" + c.get("id").asText()).status()).isBetween(200, 299);
        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(meshHosts(overlayPath)).containsExactlyInAnyOrder("h1", "h2"));
        pingSucceeds(sandbox(a), address(b, "shrink"));
        pingSucceeds(sandbox(b), address(a, "shrink"));
    }

    private List<String> meshHosts(String overlayPath) {
        Api.Reply r = bed.overlay.get(overlayPath);
        assertThat(r.status()).as("GET %s: %s", overlayPath, r.body()).isEqualTo(200);
        List<String> hosts = new ArrayList<>();
        r.body().get("hosts").forEach(h -> hosts.add(h.get("hostId").asText()));
        return hosts;
    }
}
