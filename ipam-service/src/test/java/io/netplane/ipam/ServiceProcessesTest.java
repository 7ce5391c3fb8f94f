package io.netplane.ipam;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.ipam.support.Db;
import io.netplane.localcluster.LocalCluster;
import io.netplane.localcluster.Ports;
import io.netplane.localcluster.up.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two ipam-service processes (this module's built jar, each its own JVM with its own pool, group
 * commit and transactions) on one database, one of them killed with SIGKILL while it allocates.
 * Runs after packaging (the parent pom's service-processes execution of surefire).
 */
@Tag("service-processes")
class ServiceProcessesTest {

    private static final Duration START = Duration.ofSeconds(180);
    private static final int EACH = 100;
    private static final int BEFORE_THE_KILL = 30;
    private final List<ServiceProcess> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(ServiceProcess::stop);
    }

    private ServiceProcess start(String name) {
        ServiceProcess p = new ServiceProcess(name, Path.of("target/quarkus-app/quarkus-run.jar"), Ports.free(),
                LocalCluster.shared().quarkusConfig(), Path.of("target/service-processes"));
        assertThat(p.available()).as("%s built (mvn package)", p.log()).isTrue();
        p.start();
        started.add(p);
        assertThat(p.awaitReady(START)).as("%s ready; see %s", name, p.log()).isTrue();
        return p;
    }

    private static Response allocate(ServiceProcess p, String name, String host) {
        return given().baseUri("http://127.0.0.1:" + p.httpPort).contentType(ContentType.JSON)
                .body(Map.of("name", name, "hostId", host, "networks", List.of(Map.of("network", "shared"))))
                .post("/v1/containers");
    }

    @Test
    void twoServiceProcessesOnOneDatabaseNeverCollideAndAKilledOneLosesNothingHalfDone() throws Exception {
        ServiceProcess a = start("ipam-a");
        ServiceProcess b = start("ipam-b");
        given().baseUri("http://127.0.0.1:" + a.httpPort).contentType(ContentType.JSON)
                .body(Map.of("name", "shared", "driver", "overlay")).post("/v1/networks").then().statusCode(201);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch bAnsweredEnough = new CountDownLatch(BEFORE_THE_KILL);
        Map<String, String> answered = new ConcurrentHashMap<>(); // container name -> address, from a 201
        List<Future<?>> toA = new ArrayList<>();
        List<Future<?>> toB = new ArrayList<>();
        for (int i = 0; i < EACH; i++) {
            String mine = "a" + i;
            String theirs = "b" + i;
            toA.add(pool.submit(() -> {
                Response r = allocate(a, mine, "h1");
                assertThat(r.statusCode()).as("%s via the process that lives: %s", mine, r.asString()).isEqualTo(201);
                answered.put(mine, r.path("endpoints[0].ipv4Address"));
            }));
            toB.add(pool.submit(() -> {
                Response r = allocate(b, theirs, "h2");
                if (r.statusCode() == 201) {
                    answered.put(theirs, r.path("endpoints[0].ipv4Address"));
                    bAnsweredEnough.countDown();
                }
                return r.statusCode();
            }));
        }
        assertThat(bAnsweredEnough.await(180, TimeUnit.SECONDS)).isTrue();
        b.kill();
        for (Future<?> f : toA) {
            f.get(180, TimeUnit.SECONDS);
        }
        for (Future<?> f : toB) {
            try {
                f.get(180, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException refusedOrCutOff) {
                // B is gone: a request may be cut off or refused
            }
        }
        pool.shutdown();

        String onShared = " FROM ipam.endpoint e JOIN ipam.network n ON n.id = e.network_id WHERE n.name = 'shared'";
        long endpoints = Db.count("SELECT count(*)" + onShared);
        assertThat(Db.count("SELECT count(DISTINCT ipv4_address)" + onShared)).as("distinct addresses").isEqualTo(endpoints);
        assertThat(endpoints).isGreaterThanOrEqualTo(EACH + BEFORE_THE_KILL);
        // every address a client was given is stored, for that container
        for (Map.Entry<String, String> e : answered.entrySet()) {
            String address = e.getValue().substring(0, e.getValue().indexOf('/'));
            assertThat(Db.count("SELECT count(*)" + onShared + " AND e.name = '" + e.getKey()
                    + "' AND host(e.ipv4_address) = '" + address + "'")).as("%s at %s", e.getKey(), address).isEqualTo(1);
        }
        // the killed process's transactions are all or nothing: one EndpointAllocated per stored endpoint, and no other
        String allocated = " FROM ipam.outbox o WHERE o.ce_type LIKE '%EndpointAllocated%'"
                + " AND convert_from(o.payload, 'UTF8')::jsonb->>'networkName' = 'shared'";
        assertThat(Db.count("SELECT count(*)" + allocated)).as("EndpointAllocated events").isEqualTo(endpoints);
        assertThat(Db.count("SELECT count(*)" + onShared + " AND NOT EXISTS (SELECT 1" + allocated
                + " AND convert_from(o.payload, 'UTF8')::jsonb->>'endpointId' = e.id)")).as("endpoints without their event")
                .isZero();

        // started again on the same database, the killed service goes on where the survivor left off
        ServiceProcess again = start("ipam-b-again");
        Response after = allocate(again, "after-the-kill", "h2");
        assertThat(after.statusCode()).as(after.asString()).isEqualTo(201);
        Set<String> before = new HashSet<>(answered.values());
        assertThat(before).doesNotContain((String) after.path("endpoints[0].ipv4Address"));
        assertThat(Db.count("SELECT count(DISTINCT ipv4_address)" + onShared)).isEqualTo(endpoints + 1);
    }
}
