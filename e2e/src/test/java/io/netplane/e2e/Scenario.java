package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.localcluster.up.Shell;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.AfterEach;

/**
 * What every scenario does: ask netplane for networks and containers through its REST API, then
 * look from inside the sandboxes with ordinary tools. Everything a test made is removed after
 * it, also when it fails.
 */
abstract class Scenario {

    final TestBed bed = TestBed.get();
    private final Deque<String> cleanup = new ArrayDeque<>();

    @AfterEach
    void removeWhatTheTestMade() {
        while (!cleanup.isEmpty()) {
            bed.api.delete(cleanup.pop());
        }
    }

    JsonNode network(String json) {
        JsonNode n = bed.api.create("/v1/networks", json);
        cleanup.push("/v1/networks/" + n.get("id").asText());
        return n;
    }

    /** Creates a container's networking and waits until its host's agent applied it. */
    JsonNode container(String json) {
        JsonNode c = bed.api.create("/v1/containers?wait=true", json);
        cleanup.push("/v1/containers/" + c.get("id").asText());
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

    /** Pings until the first reply (at most 20 s): the fabric may still be settling. */
    static void pingSucceeds(String sandbox, String target) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(TestBed.inSandbox(sandbox, "ping", "-c", "1", "-W", "1", target).ok())
                        .as("ping %s from %s", target, sandbox).isTrue());
    }

    static boolean pingOnce(String sandbox, String target) {
        return TestBed.inSandbox(sandbox, "ping", "-c", "2", "-W", "1", target).ok();
    }

    /** A name as the container's resolver sees it (resolv.conf: nameserver 127.0.0.11). */
    static String dig(String sandbox, String name) {
        Shell.Result r = TestBed.inSandbox(sandbox, "dig", "+short", "+time=2", "+tries=2", name);
        return r.ok() ? r.output().trim() : "";
    }
}
