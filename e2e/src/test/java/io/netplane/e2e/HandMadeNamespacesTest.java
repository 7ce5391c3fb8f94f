package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.localcluster.up.Shell;
import org.junit.jupiter.api.Test;

/**
 * S1: two namespaces made by hand (as {@code ip netns add} makes them), given to netplane as
 * the containers' sandboxes: the agent joins them with veth pairs through netlink and gives
 * them 192.168.1.1/24 and 192.168.1.2/24, and they ping each other.
 */
class HandMadeNamespacesTest extends Scenario {

    private static final String LEFT = "s1-left";
    private static final String RIGHT = "s1-right";

    @Test
    void twoNamespacesMadeByHandAreJoinedAndAddressedByTheAgent() {
        for (String ns : new String[] {LEFT, RIGHT}) {
            Shell.run("ip", "netns", "delete", ns); // left over by a killed run
            Shell.must("ip", "netns", "add", ns);
            onCleanup(() -> Shell.run("ip", "netns", "delete", ns)); // after the containers are gone
        }
        network("{\"name\":\"s1\",\"driver\":\"bridge\","
                + "\"ipam\":[{\"subnet\":\"192.168.1.0/24\",\"gateway\":\"192.168.1.254\"}]}");

        JsonNode left = container("{\"name\":\"s1-left\",\"hostId\":\"h1\",\"sandbox\":\"/var/run/netns/" + LEFT
                + "\",\"networks\":[{\"network\":\"s1\",\"ipv4Address\":\"192.168.1.1\"}]}");
        JsonNode right = container("{\"name\":\"s1-right\",\"hostId\":\"h1\",\"sandbox\":\"/var/run/netns/" + RIGHT
                + "\",\"networks\":[{\"network\":\"s1\",\"ipv4Address\":\"192.168.1.2\"}]}");
        assertThat(address(left, "s1")).isEqualTo("192.168.1.1");
        assertThat(address(right, "s1")).isEqualTo("192.168.1.2");

        String eth0 = Shell.inNetns(LEFT, 10, "ip", "-d", "-o", "addr", "show", "eth0").output();
        assertThat(eth0).contains("inet 192.168.1.1/24");
        assertThat(Shell.inNetns(LEFT, 10, "ip", "-d", "-o", "link", "show", "eth0").output()).contains("veth");
        pingSucceeds(LEFT, "192.168.1.2");
        pingSucceeds(RIGHT, "192.168.1.1");
    }
}
