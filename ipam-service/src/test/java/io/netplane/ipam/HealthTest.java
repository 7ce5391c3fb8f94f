package io.netplane.ipam;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class HealthTest {
    @Test
    void reportsUp() {
        given().when().get("/q/health").then().statusCode(200).body("status", is("UP"));
    }
}
