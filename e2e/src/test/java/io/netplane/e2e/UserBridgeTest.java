package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** S4: a user-defined bridge resolves its containers by name and alias; S9: alias round robin. */
class UserBridgeTest extends Scenario {

    @Test
    void containersOnAUserDefinedBridgeResolveEachOtherByName() {
        JsonNode net = network("{\"name\":\"my-bridge\",\"driver\":\"bridge\"}");
        assertThat(net.get("ipam").get(0).get("subnet").asText()).matches("172\\.(1[89]|2[0-9]|3[01])\\.0\\.0/16");

        JsonNode test3 = container("{\"name\":\"test3\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"my-bridge\",\"aliases\":[\"web\"]}]}");
        JsonNode test4 = container("{\"name\":\"test4\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"my-bridge\"}]}");

        String ip3 = address(test3, "my-bridge");
        await().atMost(SETTLE).untilAsserted(() -> {
            assertThat(dig(sandbox(test4), "test3")).isEqualTo(ip3);
            assertThat(dig(sandbox(test4), "web")).isEqualTo(ip3);
            assertThat(dig(sandbox(test4), "test3.my-bridge")).isEqualTo(ip3);
        });
        pingSucceeds(sandbox(test4), "test3");
        pingSucceeds(sandbox(test3), "test4");
    }

    @Test
    void aLinkOnAUserDefinedNetworkIsANameForTheLinkingContainerOnlyAndNothingInEtcHosts() {
        network("{\"name\":\"link-net\",\"driver\":\"bridge\"}");
        JsonNode server = container("{\"name\":\"db-server\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"link-net\"}]}");
        JsonNode linker = container("{\"name\":\"linker\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"link-net\",\"links\":[{\"name\":\"db-server\",\"alias\":\"db\"}]}]}");
        JsonNode bystander = container("{\"name\":\"bystander\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"link-net\"}]}");

        String serverIp = address(server, "link-net");
        await().atMost(SETTLE).untilAsserted(() -> assertThat(dig(sandbox(linker), "db")).isEqualTo(serverIp));
        assertNxdomain(sandbox(bystander), "db");
        String ownLine = address(linker, "link-net") + "\t" + linker.get("hostname").asText();
        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(TestBed.inSandbox(sandbox(linker), "cat", "/etc/hosts").output()).contains(ownLine));
        assertThat(TestBed.inSandbox(sandbox(linker), "cat", "/etc/hosts").output())
                .as("Docker writes a link on a user-defined network to no /etc/hosts").doesNotContain(serverIp);
    }

    @Test
    void connectGivesAContainerASecondInterfaceAndItsNames() {
        network("{\"name\":\"second-net\",\"driver\":\"bridge\"}");
        JsonNode resident = container("{\"name\":\"resident\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"second-net\"}]}");
        JsonNode test2 = container("{\"name\":\"joiner\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"bridge\"}]}");
        String eth0Before = TestBed.inSandbox(sandbox(test2), "ip", "-o", "-4", "addr", "show", "eth0").output();

        JsonNode endpoint = bed.api.create("/v1/containers/" + test2.get("id").asText() + "/networks",
                "{\"network\":\"second-net\"}");
        assertThat(endpoint.get("interfaceName").asText()).isEqualTo("eth1");
        String cidr = endpoint.get("ipv4Address").asText();
        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(TestBed.inSandbox(sandbox(test2), "ip", "-o", "-4", "addr", "show", "eth1").output())
                        .contains("inet " + cidr));
        assertThat(TestBed.inSandbox(sandbox(test2), "ip", "-o", "-4", "addr", "show", "eth0").output())
                .isEqualTo(eth0Before);
        pingSucceeds(sandbox(test2), "resident");
    }

    @Test
    void threeContainersBehindOneAliasAllAnswerInRotatingOrderAndARemovedOneGoes() {
        network("{\"name\":\"scale-net\",\"driver\":\"bridge\"}");
        JsonNode client = container("{\"name\":\"client\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"scale-net\"}]}");
        List<JsonNode> replicas = new ArrayList<>();
        Set<String> expected = new TreeSet<>();
        for (int i = 1; i <= 3; i++) {
            JsonNode web = container("{\"name\":\"web-" + i + "\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                    + "\"networks\":[{\"network\":\"scale-net\",\"aliases\":[\"web\"]}]}");
            replicas.add(web);
            expected.add(address(web, "scale-net"));
        }
        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(new TreeSet<>(List.of(dig(sandbox(client), "web").split("\n")))).isEqualTo(expected));

        // Docker shuffles the records: over 20 queries, more than one replica comes first.
        Set<String> firsts = new TreeSet<>();
        for (int i = 0; i < 20; i++) {
            firsts.add(dig(sandbox(client), "web").split("\n")[0]);
        }
        assertThat(firsts).hasSizeGreaterThan(1).isSubsetOf(expected);

        JsonNode gone = replicas.get(1);
        assertThat(bed.api.delete("/v1/containers/" + gone.get("id").asText()).status()).isBetween(200, 299);
        expected.remove(address(gone, "scale-net"));
        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(new TreeSet<>(List.of(dig(sandbox(client), "web").split("\n")))).isEqualTo(expected));
    }
}
