package io.netplane.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import io.netplane.agent.app.AgentService;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.support.Namespaces;
import io.netplane.localcluster.LocalCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged application with the agent running: on the real broker, in a host namespace the test makes. */
@QuarkusTest
@QuarkusTestResource(value = HealthTest.AgentHost.class, restrictToAnnotatedClass = true)
class HealthTest {

    @Inject
    AgentService service;

    @Test
    void readinessIsTheAgentsOwnAfterItsFirstReconcile() {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().when().get("/q/health/ready").then()
                .statusCode(200).body("status", is("UP")).body("checks.name", hasItem("host-agent")));
        assertThat(service.runtime()).as("the agent runs in the application").isPresent();
        assertThat(service.runtime().orElseThrow().ready()).isTrue();
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'host-agent' }.status", is("UP"))
                .body("checks.find { it.name == 'host-agent' }.data.agent", nullValue());
        given().when().get("/q/health").then().statusCode(200).body("status", is("UP"));
    }

    /** The broker of this JVM's local cluster and a fresh namespace standing in for the host. */
    public static class AgentHost implements QuarkusTestResourceLifecycleManager {
        private NamespaceManager manager;
        private Namespaces namespaces;

        @Override
        public Map<String, String> start() {
            Namespaces.requireRoot();
            manager = new NamespaceManager();
            namespaces = new Namespaces(manager);
            Map<String, String> config = new HashMap<>();
            config.put("kafka.bootstrap.servers", LocalCluster.shared().kafkaBootstrap());
            config.put("netplane.agent.enabled", "true");
            config.put("netplane.agent.host-id", namespaces.name("hh"));
            config.put("netplane.agent.host-netns", namespaces.create("hns"));
            config.put("netplane.agent.underlay-address", "192.0.2.1");
            return config;
        }

        @Override
        public void stop() {
            if (namespaces != null) {
                namespaces.close();
            }
            if (manager != null) {
                manager.close();
            }
        }
    }
}
