package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.localcluster.up.Shell;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;

/**
 * What every scenario does: ask netplane for networks and containers through its REST API, then
 * look from inside the sandboxes with ordinary tools. Everything a test made is removed after
 * it, also when it fails.
 */
abstract class Scenario {

    /**
     * How long a change may take to reach the kernel or the DNS view: through the API, Kafka, a
     * service, its outbox, Kafka again and an agent, on a shared 2-core machine. Only failures wait
     * this long.
     */
    static final Duration SETTLE = Duration.ofSeconds(60);

    final TestBed bed = TestBed.get();
    private final Deque<Runnable> cleanup = new ArrayDeque<>();
    private final Set<String> sandboxesMade = new TreeSet<>();

    @AfterEach
    void removeWhatTheTestMade() {
        while (!cleanup.isEmpty()) {
            cleanup.pop().run();
        }
        // The next test may reuse a name (and so a sandbox): let the agents finish removing these first.
        await().atMost(SETTLE).until(() -> {
            Set<String> live = new TreeSet<>();
            Shell.run("ip", "netns", "list").output().lines().forEach(l -> live.add(l.split(" ")[0]));
            return sandboxesMade.stream().noneMatch(live::contains);
        });
    }

    /** Something to undo after the test, after everything made later has been removed. */
    void onCleanup(Runnable undo) {
        cleanup.push(undo);
    }

    JsonNode network(String json) {
        JsonNode n = bed.api.create("/v1/networks", json);
        onCleanup(() -> bed.api.delete("/v1/networks/" + n.get("id").asText()));
        return n;
    }

    /** Creates a container's networking and waits until its host's agent applied it. */
    JsonNode container(String json) {
        JsonNode c = bed.api.create("/v1/containers?wait=true", json);
        onCleanup(() -> bed.api.delete("/v1/containers/" + c.get("id").asText()));
        if (!sandbox(c).startsWith("/")) {
            sandboxesMade.add(sandbox(c));
        }
        for (JsonNode e : c.get("endpoints")) {
            assertThat(e.get("applied").asBoolean()).as("endpoint applied: %s", e).isTrue();
        }
        return c;
    }

    static String address(JsonNode container, String network) {
        for (JsonNode e : container.get("endpoints")) {
            if (e.get("networkName").asText().equals(network)) {
                String cidr = e.get("ipv4Address").asText();
                return cidr.substring(0, cidr.indexOf('/'));
            }
        }
        throw new AssertionError("no endpoint on " + network + " in " + container);
    }

    static String sandbox(JsonNode container) {
        return container.get("sandboxName").asText();
    }

    /** What {@code url} serves to curl run in simulated host {@code host}'s namespace ("" when nothing answers in 2 s). */
    String servedTo(String host, String url) {
        return Shell.inNetns(bed.hostNetns(host), 10, "curl", "-s", "-m", "2", "-g", url).output();
    }

    /**
     * A port {@code host} publishes serves {@code text} to {@code otherHost} at {@code host}'s
     * underlay address and to {@code host} itself at 127.0.0.1, once the rules have settled.
     */
    void assertPublished(String host, String otherHost, int port, String text) {
        String address = bed.underlay(host);
        await().atMost(SETTLE).untilAsserted(() -> {
            assertThat(servedTo(otherHost, "http://" + address + ":" + port + "/")).contains(text);
            assertThat(servedTo(host, "http://127.0.0.1:" + port + "/")).contains(text);
        });
    }

    /**
     * ... and to {@code host} itself at [::1], as Docker 20.10's docker-proxy answers on [::] (podman
     * holds the port itself, so this is Docker's behaviour, not every runtime's).
     */
    void assertPublishedOnIpv6(String host, int port, String text) {
        await().atMost(SETTLE).untilAsserted(() ->
                assertThat(servedTo(host, "http://[::1]:" + port + "/")).contains(text));
    }

    /** Pings until the first reply (at most 20 s): the fabric may still be settling. */
    static void pingSucceeds(String sandbox, String target) {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(TestBed.inSandbox(sandbox, "ping", "-c", "1", "-W", "1", target).ok())
                        .as("ping %s from %s", target, sandbox).isTrue());
    }

    static boolean pingOnce(String sandbox, String target) {
        return TestBed.inSandbox(sandbox, "ping", "-c", "2", "-W", "1", target).ok();
    }

    /**
     * A name as the container's resolver sees it (resolv.conf: nameserver 127.0.0.11): the
     * addresses, one per line, or "" when the answer has none (see {@link #assertNxdomain} for
     * why). No reply at all is a failure.
     */
    static String dig(String sandbox, String name) {
        Shell.Result r = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            r = TestBed.inSandbox(sandbox, "dig", "+short", "+time=5", "+tries=1", name);
            if (r.ok()) {
                return r.output().trim();
            }
        }
        throw new AssertionError("no DNS reply for " + name + " in " + sandbox + ": " + r.output());
    }

    /**
     * The name does not exist for this container: its resolver answers NXDOMAIN. A SERVFAIL or
     * REFUSED (a dead or refusing server), an empty NOERROR or no reply fails.
     */
    static void assertNxdomain(String sandbox, String name) {
        assertThat(rcode(sandbox, name)).as("DNS status for %s in %s", name, sandbox).isEqualTo("NXDOMAIN");
    }

    /** The status in dig's header line ({@code ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, ...}), or dig's output. */
    static String rcode(String sandbox, String name) {
        Shell.Result r = TestBed.inSandbox(sandbox, "dig", "+time=5", "+tries=2", name);
        Matcher status = Pattern.compile("->>HEADER<<- opcode: \\w+, status: (\\w+)").matcher(r.output());
        return status.find() ? status.group(1) : "no reply: " + r.output();
    }

    /** Ping by name fails because the name does not resolve (NXDOMAIN), not for any other reason. */
    static void assertPingFailsOnlyToResolve(String sandbox, String name) {
        Shell.Result ping = TestBed.inSandbox(sandbox, "ping", "-c", "1", "-W", "1", name);
        assertThat(ping.ok()).as("ping %s from %s: %s", name, sandbox, ping.output()).isFalse();
        assertThat(ping.output()).as("ping %s from %s", name, sandbox).contains(name + ": Name or service not known");
        assertNxdomain(sandbox, name);
    }
}
