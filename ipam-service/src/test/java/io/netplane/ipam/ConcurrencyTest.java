package io.netplane.ipam;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.ipam.support.Db;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Concurrent allocation within one service; two service processes on one database: {@link ServiceProcessesTest}. */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class ConcurrencyTest {

    @BeforeEach
    void reset() {
        Db.reset();
    }

    static String allocate(String name, String host, String network) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "hostId", host, "networks", List.of(Map.of("network", network))))
                .post("/v1/containers").then().statusCode(201).extract().path("endpoints[0].ipv4Address");
    }

    @Test
    void sixtyFourConcurrentRequestsOnOneNetworkNeverShareAnAddress() throws Exception {
        given().contentType(ContentType.JSON).body(Map.of("name", "busy")).post("/v1/networks").then().statusCode(201);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String name = "c" + i;
            results.add(pool.submit(() -> {
                go.await();
                return allocate(name, "h1", "busy");
            }));
        }
        go.countDown();
        Set<String> addresses = new HashSet<>();
        for (Future<String> f : results) {
            addresses.add(f.get(120, TimeUnit.SECONDS));
        }
        pool.shutdown();
        Set<String> expected = new HashSet<>();
        for (int i = 2; i < 66; i++) {
            expected.add("172.18.0." + i + "/16");
        }
        // 64 different addresses, and (lowest free first) exactly .2 to .65
        assertThat(addresses).isEqualTo(expected);
    }

    @Test
    void sixtyFourConcurrentConnectsGetTheLowestAddressesAndADuplicateGetsDockersError() throws Exception {
        given().contentType(ContentType.JSON).body(Map.of("name", "crowd")).post("/v1/networks").then().statusCode(201);
        for (int i = 0; i < 64; i++) {
            given().contentType(ContentType.JSON).body(Map.of("name", "c" + i, "hostId", "h1"))
                    .post("/v1/containers").then().statusCode(201);
        }
        ExecutorService pool = Executors.newFixedThreadPool(65);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<io.restassured.response.Response>> results = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            String name = "c" + (i == 64 ? 7 : i); // c7 asks twice: one of the two must be refused
            results.add(pool.submit(() -> {
                go.await();
                return given().contentType(ContentType.JSON).queryParam("host", "h1")
                        .body(Map.of("network", "crowd")).post("/v1/containers/" + name + "/networks");
            }));
        }
        go.countDown();
        Set<String> addresses = new HashSet<>();
        List<String> refusals = new ArrayList<>();
        for (Future<io.restassured.response.Response> f : results) {
            io.restassured.response.Response r = f.get(120, TimeUnit.SECONDS);
            if (r.statusCode() == 201) {
                addresses.add(r.path("ipv4Address"));
            } else {
                refusals.add(r.statusCode() + " " + r.path("message"));
            }
        }
        pool.shutdown();
        Set<String> expected = new HashSet<>();
        for (int i = 2; i < 66; i++) {
            expected.add("172.18.0." + i + "/16");
        }
        assertThat(addresses).isEqualTo(expected);
        assertThat(refusals).containsExactly("403 endpoint with name c7 already exists in network crowd");
        assertThat(Db.count("SELECT count(*) FROM ipam.outbox WHERE ce_type LIKE '%EndpointAllocated%'"
                + " AND convert_from(payload, 'UTF8')::jsonb->>'networkName' = 'crowd'")).isEqualTo(64);
    }
}
