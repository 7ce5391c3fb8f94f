package io.netplane.dns.app;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.netplane.dns.support.UpstreamsResource;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A view feed whose thread ended never updates the view again: liveness must say DOWN so that the
 * orchestrator restarts the service. The thread is ended the way nothing in the service does, by
 * interrupting it; its own app (a test profile), because the feed stays dead.
 */
@QuarkusTest
@TestProfile(ViewLivenessTest.OwnApp.class)
@QuarkusTestResource(LocalClusterResource.class)
@QuarkusTestResource(UpstreamsResource.class)
class ViewLivenessTest {

    public static final class OwnApp implements QuarkusTestProfile {
    }

    @Test
    void aFeedThreadThatEndsMakesLivenessDown() {
        given().get("/q/health/live").then().statusCode(200);

        Thread feed = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("dns-view-feed")).findFirst().orElseThrow();
        feed.interrupt();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/live").then()
                .statusCode(503)
                .body("checks.find { it.name == 'dns-view-feed' }.status", is("DOWN"))
                .body("checks.find { it.name == 'dns-view-feed' }.data.feed", containsString("Interrupt")));
    }
}
