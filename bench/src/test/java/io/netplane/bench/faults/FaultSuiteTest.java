package io.netplane.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault suite's small version (bench/faults/run.sh runs the full one): the same drivers on the
 * real broker, database and built service jars, with {@link Scale#CI}'s load and outages. Runs after
 * packaging (the parent pom's service-processes execution of surefire), when the reactor has built
 * the services' jars. The figures go to bench/faults/RESULTS.md, never into assertions.
 */
@Tag("service-processes")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteTest {

    private FaultBed bed;

    @BeforeAll
    void startTheServices() throws Exception {
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        bed = FaultBed.start(target.getParent().getParent(), Files.createTempDirectory(target, "faults-"));
    }

    @AfterAll
    void stopTheServices() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    @Order(1)
    void aKilledIpamProcessHoldsNothingTwiceAndLosesNothingAcknowledged() throws Exception {
        assertClean(IpamProcessKilled.run(bed, Scale.CI));
    }

    @Test
    @Order(2)
    void aBrokerOutageLosesNoEventAndAppliesNoneTwice() throws Exception {
        assertClean(BrokerOutage.run(bed, Scale.CI));
    }

    @Test
    @Order(3)
    void aDatabaseRestartFailsCallsCleanlyAndLeavesNothingHalfMade() throws Exception {
        assertClean(PostgresRestart.run(bed, Scale.CI));
    }

    @Test
    @Order(4)
    void aRestartedDnsServiceAnswersEveryNameAgain() throws Exception {
        assertClean(DnsRestart.run(bed, Scale.CI));
    }

    private static void assertClean(FaultReport report) {
        System.out.println(report.line());
        assertThat(report.acknowledged()).as("load held: %s", report.line()).isPositive();
        assertThat(report.problems()).as(report.line()).isEmpty();
        assertThat(report.duplicates()).as("duplicates").isZero();
        assertThat(report.losses()).as("losses").isZero();
    }
}
