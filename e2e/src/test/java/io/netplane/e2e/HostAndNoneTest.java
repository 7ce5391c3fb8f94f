package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.localcluster.up.Shell;
import org.junit.jupiter.api.Test;

/** S6: --network host shares the host's namespace; --network none has loopback only. */
class HostAndNoneTest extends Scenario {

    @Test
    void aHostNetworkContainerHasNoAddressOfItsOwnAndNoSandbox() {
        JsonNode c = container("{\"name\":\"hostnet\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"host\"}]}");
        JsonNode endpoint = c.get("endpoints").get(0);
        assertThat(endpoint.path("ipv4Address").asText("")).isEmpty();
        assertThat(endpoint.path("macAddress").asText("")).isEmpty();
        assertThat(Shell.run("ip", "netns", "list").output()).doesNotContain("h1-hostnet");
    }

    @Test
    void aNoneContainerHasOnlyLoopback() {
        JsonNode c = container("{\"name\":\"isolated\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"none\"}]}");
        assertThat(c.get("endpoints").get(0).path("ipv4Address").asText("")).isEmpty();
        String links = TestBed.inSandbox(sandbox(c), "ip", "-o", "link").output();
        assertThat(links.lines()).hasSize(1).allMatch(l -> l.contains(": lo:"));
    }
}
