package io.netplane.ipam;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.events.codec.TraceParent;
import io.netplane.ipam.support.Db;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A REST call is a step of the caller's W3C trace (or of a new one), and every event it commits
 * leaves the outbox as a step of that trace: the relay sets it as the record's ce_traceparent.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class TraceTest {

    private static final String CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String CALLERS_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @BeforeEach
    void reset() {
        Db.reset();
    }

    @Test
    void theEventsOfACallCarryTheCallersTraceThroughTheGroupCommit() {
        given().contentType(ContentType.JSON).body(Map.of("name", "traced")).post("/v1/networks")
                .then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("name", "web", "hostId", "h1")).post("/v1/containers")
                .then().statusCode(201);

        Response connect = given().header("traceparent", CALLER).contentType(ContentType.JSON)
                .body(Map.of("network", "traced")).post("/v1/containers/web/networks");
        connect.then().statusCode(201);
        TraceParent answered = TraceParent.parse(connect.getHeader("traceresponse")).orElseThrow();
        assertThat(answered.traceId()).isEqualTo(CALLERS_TRACE);
        assertThat(answered.spanId()).as("the service's own span, a child of the caller's").isNotEqualTo("00f067aa0ba902b7");

        assertThat(traces("io.netplane.EndpointAllocated")).as("the connect's endpoint, committed by a group commit")
                .last().isEqualTo(answered.toString());
    }

    @Test
    void aCallWithoutATraceStartsOneAndItsEventsAreStepsOfIt() {
        Response create = given().header("traceparent", "not-a-traceparent").contentType(ContentType.JSON)
                .body(Map.of("name", "solo", "hostId", "h1")).post("/v1/containers");
        create.then().statusCode(201);
        TraceParent started = TraceParent.parse(create.getHeader("traceresponse")).orElseThrow();
        assertThat(started.traceId()).isNotEqualTo(CALLERS_TRACE);
        assertThat(traces("io.netplane.ContainerCreated")).containsExactly(started.toString());
        assertThat(traces("io.netplane.EndpointAllocated")).containsExactly(started.toString());

        Response other = given().contentType(ContentType.JSON).body(Map.of("name", "solo2", "hostId", "h1"))
                .post("/v1/containers");
        assertThat(TraceParent.parse(other.getHeader("traceresponse")).orElseThrow().traceId())
                .as("each call its own trace").isNotEqualTo(started.traceId());
    }

    /** The traceparent of each outbox row of {@code ceType}, oldest first. */
    private static List<String> traces(String ceType) {
        try (Connection c = Db.connect();
                PreparedStatement ps = c.prepareStatement("SELECT traceparent FROM ipam.outbox WHERE ce_type = ? ORDER BY id")) {
            ps.setString(1, ceType);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
