package io.netplane.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.support.Broker;
import io.netplane.agent.support.Shell;
import io.netplane.localcluster.LocalCluster;
import io.netplane.localcluster.metrics.Dashboard;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The agent as the application runs it: its counters on /q/metrics (all the dashboard shows of it), and /q/health/live DOWN once its feed thread has ended. */
@QuarkusTest
@TestProfile(AgentLivenessTest.RunningAgent.class)
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "needs root for network namespaces")
class AgentLivenessTest {

    static final String HOST_NS = "nptlive" + ProcessHandle.current().pid();
    static final String HOST_ID = "live-" + ProcessHandle.current().pid();

    /** The agent enabled, in a namespace of its own standing in for the host, on the shared test broker. */
    public static class RunningAgent implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            if (!Files.exists(NamespaceManager.pathOf(HOST_NS))) {
                Shell.must("ip", "netns", "add", HOST_NS);
            }
            return Map.of("netplane.agent.enabled", "true",
                    "netplane.agent.host-id", HOST_ID,
                    "netplane.agent.host-netns", HOST_NS,
                    "netplane.agent.underlay-address", "192.0.2.9",
                    "kafka.bootstrap.servers", LocalCluster.shared().kafkaBootstrap());
        }
    }

    @AfterAll
    static void removeHostNamespace() {
        Shell.run("ip", "netns", "del", HOST_NS);
    }

    @Test
    void deadLettersAreCountedOnTheMetricsEndpoint() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("netplane_agent_records_dead_lettered_total{reason=\"refused\"}"))
                .body(containsString("netplane_agent_records_dead_lettered_total{reason=\"malformed\"}"));
    }

    @Test
    void everyMetricTheDashboardShowsOfTheAgentIsExposed() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("netplane_agent_drift_repairs_total{host=\"" + HOST_ID + "\",kind=\"endpoint\"}");
        assertThat(Dashboard.exposed(metrics)).containsAll(Dashboard.read().metricsOf("host-agent"));
    }

    @Test
    void livenessIsDownOnceTheFeedThreadHasEnded() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));

        Thread feed = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("desired-state-feed-" + HOST_ID)).findFirst().orElseThrow();
        feed.interrupt();

        await().atMost(Broker.PATIENCE).untilAsserted(() -> given().when().get("/q/health/live").then()
                .statusCode(503).body("status", is("DOWN")).body("checks[0].name", is("host-agent-threads")));
    }
}
