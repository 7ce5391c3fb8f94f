package io.netplane.bench.faults;

import java.time.Duration;
import java.util.List;

/**
 * Fault d: dns-service SIGKILLed and started again while containers exist. It keeps no state of its
 * own: it must rebuild its view from the topics and answer again with every name, each with
 * exactly its address.
 */
final class DnsRestart {

    static final String NAME = "d. dns-service SIGKILLed and restarted";
    private static final String HOST = "fd";

    private DnsRestart() {
    }

    static FaultReport run(FaultBed bed, Scale scale) throws Exception {
        Verdict verdict = new Verdict();
        String api = FaultBed.url(bed.ipam);
        IpamApi.createNetwork(api, HOST + "-1");
        Ledger ledger = new Ledger();
        Population.make(api, HOST, HOST + "-1", scale.dnsContainers(), 8, false, ledger, verdict);
        ConsumerAudit audit = new ConsumerAudit(bed.db());
        String dnsUrl = FaultBed.url(bed.dns);
        Recovery.Result before = Recovery.await(System.nanoTime(), Duration.ofSeconds(120),
                () -> audit.dns(dnsUrl, HOST, ledger));
        before.remaining().forEach(p -> verdict.wrong("before the kill: " + p));

        bed.dns.kill();
        long restarted = System.nanoTime();
        bed.restart(bed.dns); // ready: its view has read the topics as far as they went at its start
        Duration ready = Duration.ofNanos(System.nanoTime() - restarted);
        Recovery.Result after = Recovery.await(restarted, Duration.ofSeconds(180), () -> audit.dns(dnsUrl, HOST, ledger));
        after.remaining().forEach(verdict::lost);
        return new FaultReport(NAME, scale.dnsContainers() + " containers, each on one network, made before the kill",
                ledger.count(Ledger.Outcome.ACKNOWLEDGED), ledger.count(Ledger.Outcome.REFUSED), 0,
                verdict.duplicates(), verdict.losses(), 0, ready,
                "from starting the new process (JVM start included) until it reports ready, its view rebuilt from"
                        + " the topics; every name answered with exactly its address, checked through its records API"
                        + " (one call per container), by " + IpamProcessKilled.seconds(after.took()),
                verdict.clean(), verdict.examples());
    }
}
