package io.netplane.events.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SandboxPathTest {

    @Test
    void acceptsNetworkNamespaces() {
        assertThat(SandboxPath.check("/var/run/netns/ctr-1")).isEqualTo("/var/run/netns/ctr-1");
        assertThat(SandboxPath.check("/run/netns/c.1_x")).isEqualTo("/run/netns/c.1_x");
        assertThat(SandboxPath.check("/proc/4242/ns/net")).isEqualTo("/proc/4242/ns/net");
    }

    @Test
    void refusesEverythingElse() {
        for (String bad : new String[] {"/var/run/netns/../../etc/shadow", "/var/run/netns/..", "/var/run/netns/",
                "/var/run/netns//x", "/var/run/netns/x/", "/var/run/netns/a b", "/var/run/netns/a\nb",
                "/proc/self/ns/net", "/proc/0/ns/net", "/proc/1/ns/mnt", "/proc/1/../1/ns/net", "/etc/passwd",
                "netns/x", "/var/run/netns/" + "x".repeat(300), "/var/run/netns/é"}) {
            assertThatThrownBy(() -> SandboxPath.check(bad)).as(bad).isInstanceOf(InvalidValueException.class)
                    .hasMessageStartingWith("invalid sandbox \"")
                    .hasMessageEndingWith("\": give a network namespace as /var/run/netns/<name>, /run/netns/<name>"
                            + " or /proc/<pid>/ns/net, or \"create\"");
        }
    }
}
