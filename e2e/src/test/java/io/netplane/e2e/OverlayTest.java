package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** S8: an overlay network across two hosts over VXLAN. */
class OverlayTest extends Scenario {

    @Test
    void containersOnTwoHostsPingAndResolveEachOtherAcrossTheOverlay() {
        JsonNode demo = network("{\"name\":\"demo\",\"driver\":\"overlay\"}");
        assertThat(demo.get("scope").asText()).isEqualTo("global");
        assertThat(demo.get("ipam").get(0).get("subnet").asText()).isEqualTo("10.0.0.0/24");

        JsonNode test1 = container("{\"name\":\"test1\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"demo\"}]}");
        JsonNode test2 = container("{\"name\":\"test2\",\"hostId\":\"h2\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"demo\"}]}");
        assertThat(address(test1, "demo")).isEqualTo("10.0.0.2");
        assertThat(address(test2, "demo")).isEqualTo("10.0.0.3");

        pingSucceeds(sandbox(test1), "10.0.0.3");
        pingSucceeds(sandbox(test2), "10.0.0.2");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(dig(sandbox(test1), "test2")).isEqualTo("10.0.0.3"));

        Api.Reply clash = bed.api.post("/v1/containers", "{\"name\":\"test1\",\"hostId\":\"h2\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"demo\"}]}");
        assertThat(clash.status()).isBetween(400, 499);
        assertThat(clash.body().toString()).contains("endpoint with name test1 already exists in network demo");
    }
}
