package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.localcluster.up.Shell;
import io.netplane.localcluster.up.SimulatedHosts;
import org.junit.jupiter.api.Test;

/**
 * The notes' commands with netplane as the network and IPAM driver of real dockerd hosts: S4
 * (a user-defined network with names and aliases), S5 (published ports), S8 (one network on
 * every host, names across hosts), and what Docker refuses.
 */
class DockerDriverTest extends DockerScenario {

    @Test
    void aNetplaneNetworkGivesContainersAddressesNamesAndAliasesOnOneHost() {
        netplaneNetwork("h1", "my-net", "-o", "netplane.driver=bridge", "--subnet", "10.120.0.0/24");
        assertThat(must("h1", "network", "ls", "--filter", "name=my-net", "--format", "{{.Name}} {{.Driver}}"))
                .isEqualTo("my-net netplane");
        // on h2 too, though netplane's own bridge of it may already route the subnet there
        await().atMost(SETTLE).untilAsserted(() -> assertThat(docker("h2", "network", "inspect", "-f",
                "{{.Driver}} {{(index .IPAM.Config 0).Subnet}}", "my-net").output().trim())
                .isEqualTo("netplane 10.120.0.0/24"));
        run("h1", "c1", "--network", "my-net", "--network-alias", "api", "--hostname", "box1");
        run("h1", "c2", "--network", "my-net", "--ip", "10.120.0.50");
        assertThat(address("h1", "c1", "my-net")).isEqualTo("10.120.0.2");
        assertThat(address("h1", "c2", "my-net")).isEqualTo("10.120.0.50");
        assertThat(exec("h1", "c1", "hostname").output().trim()).isEqualTo("box1");
        assertThat(exec("h1", "c1", "ip", "route").output()).contains("default via 10.120.0.1 dev eth0");

        pingSucceeds("h1", "c2", "c1");
        pingSucceeds("h1", "c1", "c2");
        pingSucceeds("h1", "c2", "api");
        assertThat(lookup("h1", "c2", "api")).containsExactly("10.120.0.2");

        must("h1", "network", "disconnect", "my-net", "c2");
        assertThat(exec("h1", "c2", "ip", "-o", "-4", "addr").output()).doesNotContain("10.120.0.50");
        must("h1", "network", "connect", "my-net", "c2");
        pingSucceeds("h1", "c2", "c1");
    }

    @Test
    void aNetworkCreatedOnOneHostIsUsableOnEveryHostAndNamesResolveAcrossHosts() {
        netplaneNetwork("h1", "demo", "-o", "netplane.driver=overlay");
        for (String host : new String[] {"h2", "h3"}) {
            await().atMost(SETTLE).untilAsserted(() -> assertThat(docker(host, "network", "ls", "--filter",
                    "name=demo", "--format", "{{.Name}} {{.Driver}}").output().trim()).isEqualTo("demo netplane"));
        }
        run("h2", "test2", "--network", "demo");
        run("h3", "test3", "--network", "demo");
        run("h1", "test1", "--network", "demo");
        String test2 = address("h2", "test2", "demo");
        assertThat(address("h1", "test1", "demo")).isNotEqualTo(test2).startsWith(test2.substring(0,
                test2.lastIndexOf('.') + 1));
        assertThat(exec("h1", "test1", "ip", "-o", "link", "show", "eth0").output()).contains("mtu 1450");

        pingSucceeds("h1", "test1", test2);
        pingSucceeds("h1", "test1", "test2");
        pingSucceeds("h3", "test3", "test1");
        assertThat(lookup("h1", "test1", "test3")).containsExactly(address("h3", "test3", "demo"));
        // a name is the network's: a container on another network of the same host does not see it
        netplaneNetwork("h1", "other", "-o", "netplane.driver=bridge");
        run("h1", "outsider", "--network", "other");
        assertThat(lookup("h1", "outsider", "test2")).isEmpty();
        assertThat(pingOnce("h1", "outsider", test2)).isFalse();
    }

    @Test
    void publishedPortsAreReachedFromAnotherHostTheHostItselfAndItsLocalhost() {
        netplaneNetwork("h1", "web-net", "-o", "netplane.driver=bridge");
        onCleanup(() -> docker("h1", "rm", "-f", "web"));
        must("h1", "run", "-d", "--name", "web", "--network", "web-net", "-p", "18080:80", "busybox",
                "sh", "-c", "echo hello-from-web > /index.html && httpd -f -p 80 -h /");
        assertPublished("h1", "h2", 18080, "hello-from-web");
        assertPublishedOnIpv6("h1", 18080, "hello-from-web");
        assertThat(servedTo("h1", "http://" + bed.underlay("h1") + ":18080/")).contains("hello-from-web");

        Shell.Result taken = docker("h1", "run", "-d", "--name", "web2", "--network", "web-net", "-p", "18080:80",
                "busybox", "sleep", "100000");
        onCleanup(() -> docker("h1", "rm", "-f", "web2"));
        assertThat(taken.ok()).isFalse();
        assertThat(taken.output()).contains("): remote: Bind for 0.0.0.0:18080 failed: port is already allocated")
                .doesNotContain("docker-ep-");
    }

    @Test
    void aContainerOnAnOverlayLeavesAndIsReachedThroughItsOwnHost() {
        netplaneNetwork("h1", "ov-out", "-o", "netplane.driver=overlay");
        onCleanup(() -> docker("h1", "rm", "-f", "ov-web"));
        must("h1", "run", "-d", "--name", "ov-web", "--network", "ov-out", "-p", "18083:80", "busybox",
                "sh", "-c", "echo hello-from-overlay > /index.html && httpd -f -p 80 -h /");
        // no gateway bridge for Docker's containers: out through the overlay endpoint, masqueraded by its host
        pingSucceeds("h1", "ov-web", SimulatedHosts.OUTSIDE_ADDRESS);
        assertPublished("h1", "h2", 18083, "hello-from-overlay");
        assertPublishedOnIpv6("h1", 18083, "hello-from-overlay");
    }

    @Test
    void badInputIsRefusedInDockersWordsAndLeavesNothingBehind() {
        Shell.Result unknown = docker("h1", "network", "create", "-d", NETPLANE, "--ipam-driver", NETPLANE,
                "-o", "colour=blue", "bad1");
        assertThat(unknown.ok()).isFalse();
        assertThat(unknown.output()).contains("colour");
        assertThat(docker("h1", "network", "inspect", "bad1").ok()).isFalse();

        netplaneNetwork("h1", "first", "--subnet", "10.121.0.0/24");
        Shell.Result overlap = docker("h1", "network", "create", "-d", NETPLANE, "--ipam-driver", NETPLANE,
                "--subnet", "10.121.0.0/16", "second");
        assertThat(overlap.ok()).isFalse();
        assertThat(overlap.output()).contains("overlaps");
        assertThat(bed.api.get("/v1/networks/second").status()).isEqualTo(404);

        Shell.Result outside = docker("h1", "run", "-d", "--name", "stray", "--network", "first", "--ip",
                "10.99.0.5", "busybox", "sleep", "100000");
        onCleanup(() -> docker("h1", "rm", "-f", "stray"));
        assertThat(outside.ok()).isFalse();
        assertThat(outside.output()).contains("10.99.0.5");
    }
}
