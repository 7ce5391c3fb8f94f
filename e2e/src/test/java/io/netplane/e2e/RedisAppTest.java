package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.localcluster.up.Shell;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** S7: an app reaches a real Redis by the linked name, and the hit counter grows with every request. */
class RedisAppTest extends Scenario {

    @Test
    void theAppReachesRedisByNameAndTheCounterGrows() throws Exception {
        JsonNode redis = container("{\"name\":\"redis\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"bridge\"}]}");
        JsonNode app = container("{\"name\":\"flask-redis\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"bridge\",\"links\":[{\"name\":\"redis\"}]}]}");
        try (Server server = Server.redis(sandbox(redis), 6379)) {
            long first = await().atMost(SETTLE).pollInterval(Duration.ofMillis(300))
                    .until(() -> hits(sandbox(app)), h -> h > 0);
            long second = await().atMost(SETTLE).pollInterval(Duration.ofMillis(300))
                    .until(() -> hits(sandbox(app)), h -> h > 0);
            assertThat(second).isEqualTo(first + 1);
        }
    }

    /** What the seed's app does per request: INCR hits, by the name REDIS_HOST=redis. */
    private static long hits(String sandbox) {
        Shell.Result r = TestBed.inSandbox(sandbox, "redis-cli", "-h", "redis", "-p", "6379", "INCR", "hits");
        try {
            return r.ok() ? Long.parseLong(r.output().trim()) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
