package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.localcluster.up.Shell;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The notes' own commands, word for word, on a real dockerd of a simulated host: Docker's default
 * bridge and --link (S2, S3: Docker's own driver, netplane only its DNS upstream), host and none
 * (S6), the Redis app (S7) on one host with --link and across two hosts on a netplane network, and
 * round robin over a netplane network spanning three hosts (S9).
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

    /**
     * S7: `docker run -d --name redis redis` and an app linked to it that counts hits. No registry: the
     * image `redis` is this machine's redis-server and redis-cli on busybox, and redis-cli is the app.
     */
    @Test
    void theRedisAppCountsHitsByLinkAndAcrossHostsOnANetplaneNetwork() {
        for (String host : List.of("h1", "h2")) {
            bed.docker(host).importImage("redis", List.of(Path.of("/usr/bin/redis-server"), Path.of("/usr/bin/redis-cli")));
        }
        onCleanup(() -> docker("h1", "rm", "-f", "redis"));
        must("h1", "run", "-d", "--name", "redis", "redis", "redis-server", "--protected-mode", "no", "--save", "");
        long linked = await().atMost(SETTLE).pollInterval(Duration.ofMillis(500))
                .until(() -> hits("h1", "--link", "redis:redis"), n -> n > 0);
        assertThat(hits("h1", "--link", "redis:redis")).isEqualTo(linked + 1);

        netplaneNetwork("h1", "app", "-o", "netplane.driver=overlay");
        await().atMost(SETTLE).untilAsserted(() -> assertThat(docker("h2", "network", "inspect", "app").ok()).isTrue());
        onCleanup(() -> docker("h1", "rm", "-f", "redis-db"));
        must("h1", "run", "-d", "--name", "redis-db", "--network", "app", "redis", "redis-server", "--protected-mode",
                "no", "--save", "");
        long first = await().atMost(SETTLE).pollInterval(Duration.ofMillis(500))
                .until(() -> hits("h2", "--network", "app", "-e", "REDIS_HOST=redis-db"), n -> n > 0);
        assertThat(hits("h2", "--network", "app", "-e", "REDIS_HOST=redis-db")).isEqualTo(first + 1);
    }

    /** One request of the app: `redis-cli -h $REDIS_HOST INCR hits` in a fresh container on host; -1 when it fails. */
    private long hits(String host, String... options) {
        List<String> args = new ArrayList<>(List.of("run", "--rm"));
        args.addAll(List.of(options));
        args.addAll(List.of("redis", "sh", "-c", "redis-cli -h ${REDIS_HOST:-redis} INCR hits"));
        Shell.Result r = docker(host, args.toArray(String[]::new));
        try {
            return r.ok() ? Long.parseLong(r.output().trim()) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
