package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;

/**
 * The notes' own commands, word for word, on a real dockerd of a simulated host: Docker's default
 * bridge and --link (S2, S3: Docker's own driver, netplane only its DNS upstream), host and none
 * (S6), and round robin over a netplane network spanning three hosts (S9).
 */
class DockerNotesTest extends DockerScenario {

    @Test
    void theDefaultBridgeAndALinkAsTheNotesShowThem() {
        run("h1", "test1");
        run("h1", "test2", "--link", "test1");
        String ip1 = address("h1", "test1", "bridge");
        pingSucceeds("h1", "test2", ip1);
        pingSucceeds("h1", "test2", "test1");
        assertThat(exec("h1", "test2", "cat", "/etc/hosts").output()).contains(ip1 + "\ttest1");
        // a link goes one way, and the default bridge has no name service
        assertThat(pingOnce("h1", "test1", "test2")).isFalse();
    }

    @Test
    void hostAndNoneAsTheNotesShowThem() {
        run("h1", "on-none", "--network", "none");
        assertThat(exec("h1", "on-none", "ip", "-o", "link").output().lines().count()).isEqualTo(1);
        run("h1", "on-host", "--network", "host");
        assertThat(exec("h1", "on-host", "ip", "-o", "-4", "addr").output()).contains(bed.underlay("h1"));
    }

    @Test
    void anAliasSharedByContainersOnTwoHostsAnswersWithAllOfThem() {
        netplaneNetwork("h1", "rr", "-o", "netplane.driver=overlay");
        await().atMost(SETTLE).untilAsserted(() -> assertThat(docker("h2", "network", "inspect", "rr").ok()).isTrue());
        run("h1", "search1", "--network", "rr", "--network-alias", "search");
        run("h2", "search2", "--network", "rr", "--network-alias", "search");
        await().atMost(SETTLE).untilAsserted(() -> assertThat(docker("h3", "network", "inspect", "rr").ok()).isTrue());
        run("h3", "client", "--network", "rr");
        String one = address("h1", "search1", "rr");
        String two = address("h2", "search2", "rr");
        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(lookup("h3", "client", "search")).containsExactlyInAnyOrder(one, two));
        pingSucceeds("h3", "client", two);
        // dockerd's own resolver answers a name it knows on this host without asking netplane
        assertThat(lookup("h1", "search1", "search")).containsExactly(one);
    }
}
