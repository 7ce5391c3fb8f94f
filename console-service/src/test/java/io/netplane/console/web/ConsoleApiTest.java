package io.netplane.console.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** What the console's HTTP API answers to bad input, and that the page comes from the jar (a real broker behind). */
@QuarkusTest
@QuarkusTestResource(LocalClusterResource.class)
class ConsoleApiTest {

    @Test
    void aMomentThatIsNoInstantIsRefusedSayingWhatToGive() {
        given().queryParam("at", "yesterday\nnoon").get("/api/topology").then().statusCode(400)
                .body("message", equalTo("invalid moment \"yesterday\\nnoon\": give an ISO-8601 instant in UTC,"
                        + " such as 2026-12-03T13:40:05Z"));
    }

    @Test
    void aLimitOutsideItsRangeIsRefused() {
        given().queryParam("limit", 0).get("/api/changes").then().statusCode(400)
                .body("message", equalTo("limit must be between 1 and 1000, not 0"));
        given().queryParam("limit", 1001).get("/api/changes").then().statusCode(400);
    }

    @Test
    void anEndpointTheConsoleNeverSawHasNoTimeline() {
        given().get("/api/endpoints/nope/timeline").then().statusCode(404)
                .body("message", equalTo("no allocation of endpoint \"nope\" in the console's history"));
    }

    @Test
    void thePageAndItsScriptComeFromTheJarWithNothingFetchedElsewhere() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<script src=\"console.js\" defer></script>"))
                .body(org.hamcrest.Matchers.not(containsString("http")));
        given().get("/console.js").then().statusCode(200).body(containsString("new EventSource('/api/stream')"));
    }
}
