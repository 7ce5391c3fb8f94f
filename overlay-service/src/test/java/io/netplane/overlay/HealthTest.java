package io.netplane.overlay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import io.netplane.localcluster.metrics.Dashboard;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HealthTest {
    @Test
    void reportsUpOnceTheConsumerHasCaughtUp() {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().when().get("/q/health").then()
                .statusCode(200).body("status", is("UP")).body("checks.find { it.name == 'overlay-consumer' }.status",
                        is("UP")));
    }

    @Test
    void everyMetricTheDashboardShowsOfOverlayIsExposed() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(Dashboard.exposed(metrics)).containsAll(Dashboard.read().metricsOf("overlay-service"));
    }
}
