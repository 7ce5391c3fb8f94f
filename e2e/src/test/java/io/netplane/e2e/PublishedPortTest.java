package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.localcluster.up.Shell;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** S5: a web server published with -p 8080:80 answers from the host, localhost and another host. */
class PublishedPortTest extends Scenario {

    @Test
    void publishedPortAnswersFromOutsideTheHostAndLocalhost() throws Exception {
        JsonNode web = container("{\"name\":\"web\",\"hostId\":\"h1\",\"sandbox\":\"create\","
                + "\"networks\":[{\"network\":\"bridge\"}],"
                + "\"ports\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}]}");
        Process server = new ProcessBuilder("ip", "netns", "exec", sandbox(web), "python3", "-m", "http.server", "80",
                "--bind", "0.0.0.0").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String h1 = bed.underlay("h1");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                assertThat(curl(bed.hostNetns("h2"), "http://" + h1 + ":8080/")).as("from host h2").isTrue();
                assertThat(curl(bed.hostNetns("h1"), "http://" + h1 + ":8080/")).as("from h1 itself").isTrue();
                assertThat(curl(bed.hostNetns("h1"), "http://127.0.0.1:8080/")).as("from h1's localhost").isTrue();
                assertThat(curl(sandbox(web), "http://" + h1 + ":8080/")).as("web reaching its own published port")
                        .isTrue();
            });
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean curl(String netns, String url) {
        Shell.Result r = Shell.inNetns(netns, 10, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "--max-time", "3", url);
        return r.ok() && r.output().trim().equals("200");
    }
}
