package io.netplane.bench.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The fault suite: starts the real broker, database and services (see {@link FaultBed}), runs each
 * fault in turn on its own host's containers, prints one line per fault and, last, exactly
 * "N passed, M failed". Exits 1 if any failed.
 *
 * <p>Usage (from the repository root, after a build): FaultSuite [full|ci] [broker-outage-seconds], or
 * FaultSuite restart [endpoints] for {@link RestartTimes} alone (default 10,000 endpoints).
 */
public final class FaultSuite {

    /** One fault: runs against the bed and reports. */
    @FunctionalInterface
    interface Fault {
        FaultReport run(FaultBed bed, Scale scale) throws Exception;
    }

    /** The faults, in the order of priority. */
    static final List<Fault> ALL = List.of(IpamProcessKilled::run, BrokerOutage::run, PostgresRestart::run,
            DnsRestart::run);

    private FaultSuite() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("restart")) {
            int endpoints = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
            System.exit(report(List.<Fault>of((bed, scale) -> RestartTimes.run(bed, endpoints)), Scale.FULL) ? 0 : 1);
        }
        Scale scale = args.length > 0 && args[0].equals("ci") ? Scale.CI : Scale.FULL;
        if (args.length > 1) {
            scale = scale.withBrokerOutage(Duration.ofSeconds(Long.parseLong(args[1])));
        }
        System.exit(report(ALL, scale) ? 0 : 1);
    }

    /** Runs {@code faults} on one bed, printing a line each and then the summary; true if all passed. */
    private static boolean report(List<Fault> faults, Scale scale) throws Exception {
        Path work = Files.createTempDirectory("netplane-faults-");
        System.out.println("fault suite, " + Instant.now() + ", " + scale + ", logs in " + work.resolve("logs"));
        List<FaultReport> reports = new ArrayList<>();
        try (FaultBed bed = FaultBed.start(Path.of("").toAbsolutePath(), work)) {
            for (Fault fault : faults) {
                FaultReport report;
                try {
                    report = fault.run(bed, scale);
                } catch (Exception e) {
                    e.printStackTrace();
                    report = new FaultReport("fault " + (reports.size() + 1) + " could not run", "", 0, 0, 0, 0, 0, 0,
                            Duration.ZERO, "", false, List.of(e.toString()));
                }
                reports.add(report);
                System.out.println(report.line());
                report.problems().forEach(p -> System.out.println("    " + p));
            }
        }
        long passed = reports.stream().filter(FaultReport::passed).count();
        System.out.println(passed + " passed, " + (reports.size() - passed) + " failed");
        return passed == reports.size();
    }
}
