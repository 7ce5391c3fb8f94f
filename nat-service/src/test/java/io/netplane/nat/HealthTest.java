package io.netplane.nat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.netplane.localcluster.metrics.Dashboard;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(LocalClusterResource.class)
class HealthTest {
    @Test
    void reportsUp() {
        given().when().get("/q/health").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void everyMetricTheDashboardShowsOfNatIsExposed() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(Dashboard.exposed(metrics)).containsAll(Dashboard.read().metricsOf("nat-service"));
    }
}
