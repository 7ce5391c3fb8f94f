package io.netplane.ipam;

import static io.netplane.ipam.ContainerApiTest.container;
import static io.netplane.ipam.ContainerApiTest.network;
import static io.netplane.ipam.ContainerApiTest.on;
import static io.netplane.ipam.ContainerApiTest.refused;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.ipam.support.Db;
import io.netplane.localcluster.metrics.Dashboard;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an operator's dashboard reads of ipam-service: a pool filling up, and the connect it refuses once full. */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class DashboardMetricsTest {

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void aFullPoolAndItsRefusedConnectShowOnTheMetricsTheDashboardQueries() {
        Db.reset();
        // a /30 has .1 and .2 usable, and .1 is the gateway: one address for endpoints
        network(Map.of("name", "full30", "ipam", List.of(Map.of("subnet", "10.51.0.0/30"))));
        container(Map.of("name", "m1", "hostId", "h1", "networks", List.of(on("full30"))));
        assertThat(refused(Map.of("name", "m2", "hostId", "h1", "networks", List.of(on("full30"))), 403))
                .startsWith("no available IPv4 addresses");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape()).contains(
                "netplane_ipam_pool_size{network=\"full30\"} 1.0",
                "netplane_ipam_pool_allocated{network=\"full30\"} 1.0",
                "netplane_ipam_pool_utilisation{network=\"full30\"} 1.0",
                "netplane_ipam_pool_exhausted_total{network=\"full30\"} 1.0"));
        assertThat(Dashboard.exposed(scrape())).containsAll(Dashboard.read().metricsOf("ipam-service"));
    }
}
