package io.netplane.bench.faults;

import io.netplane.localcluster.up.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How long each service takes to come back at a given size (README, "Restart semantics"): makes
 * {@code endpoints} containers, one endpoint each with a published port, waits until nat-service
 * holds them all, then SIGKILLs and starts again ipam-service, nat-service and dns-service in turn,
 * timing each from its new JVM's start until it reports ready, and checking afterwards that nat
 * still holds exactly ipam's endpoints and that dns answers a sample of the names.
 */
final class RestartTimes {

    private static final String HOST = "fr";
    private static final int CLIENTS = 32;
    private static final int DNS_SAMPLE = 50;

    private RestartTimes() {
    }

    static FaultReport run(FaultBed bed, int endpoints) throws Exception {
        Verdict verdict = new Verdict();
        String api = FaultBed.url(bed.ipam);
        IpamApi.createNetwork(api, HOST + "-1");
        Ledger ledger = new Ledger();
        long made = System.nanoTime();
        Population.make(api, HOST, HOST + "-1", endpoints, CLIENTS, true, ledger, verdict);
        Duration filling = Duration.ofNanos(System.nanoTime() - made);
        ConsumerAudit audit = new ConsumerAudit(bed.db());
        Recovery.Result natHeld = Recovery.await(System.nanoTime(), Duration.ofMinutes(10), () -> audit.nat(HOST));
        natHeld.remaining().forEach(verdict::lost);

        List<String> times = new ArrayList<>();
        for (ServiceProcess p : List.of(bed.ipam, bed.nat, bed.dns)) {
            p.kill();
            long started = System.nanoTime();
            bed.restart(p);
            times.add(p.name + " " + IpamProcessKilled.seconds(Duration.ofNanos(System.nanoTime() - started)));
        }
        Recovery.await(System.nanoTime(), Duration.ofMinutes(5), () -> audit.nat(HOST)).remaining()
                .forEach(p -> verdict.lost("after nat's restart: " + p));
        // each records call lists every name the container sees (all of them here): a sample keeps it affordable
        Set<String> sample = new HashSet<>();
        ledger.fates().stream().filter(f -> f.exists).limit(DNS_SAMPLE).forEach(f -> sample.add(f.name));
        List<String> dns = audit.dnsOf(FaultBed.url(bed.dns), HOST, sample);
        dns.forEach(p -> verdict.lost("after dns's restart: " + p));
        return new FaultReport("restart times at " + endpoints + " endpoints", endpoints + " containers made in "
                + IpamProcessKilled.seconds(filling) + " by " + CLIENTS + " clients, one endpoint and one published"
                + " port each", ledger.count(Ledger.Outcome.ACKNOWLEDGED), ledger.count(Ledger.Outcome.REFUSED),
                ledger.count(Ledger.Outcome.NO_ANSWER), verdict.duplicates(), verdict.losses(), 0, Duration.ZERO,
                "SIGKILL, then new JVM start to ready: " + String.join(", ", times) + "; nat held all "
                        + IpamProcessKilled.seconds(natHeld.took()) + " after the last was made",
                verdict.clean(), verdict.examples());
    }
}
