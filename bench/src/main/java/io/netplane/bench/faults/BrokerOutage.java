package io.netplane.bench.faults;

import java.time.Duration;
import java.util.List;

/**
 * Fault b: the broker stopped mid-load for a while and started again. ipam-service keeps
 * committing (its outbox holds the changes); once the broker is back, every change reaches the
 * topics once and the consumers (nat-service, dns-service) hold exactly ipam's state.
 */
final class BrokerOutage {

    static final String NAME = "b. broker stopped and restarted";

    private BrokerOutage() {
    }

    static FaultReport run(FaultBed bed, Scale scale) throws Exception {
        Verdict verdict = new Verdict();
        IpamAudit ipam = new IpamAudit(bed.db());
        try (LoadRun run = LoadRun.start(bed, "fb", scale.clients(), List.of(FaultBed.url(bed.ipam)))) {
            LoadRun.hold(scale.before());
            bed.cluster.stopKafka();
            LoadRun.hold(scale.brokerOutage());
            bed.cluster.startKafka();
            long restarted = System.nanoTime();
            long lastRow = ipam.lastOutboxId();
            long backlog = ipam.unsentUpTo(lastRow);
            Recovery.Result drained = Recovery.await(restarted, Duration.ofSeconds(120),
                    () -> ipam.unsentUpTo(lastRow) == 0 ? List.of() : List.of("backlog"));
            if (!drained.recovered()) {
                verdict.wrong("the outage's backlog was not sent within 120 s of the restart");
            }
            LoadRun.hold(scale.after());
            run.stopLoad();
            HostAudit.Figures figures = HostAudit.run(bed, run.host, run.ledger, run.topics, true, verdict);
            return run.report(NAME + " (" + scale.brokerOutage().toSeconds() + " s down)", scale.clients(), verdict,
                    figures, drained.took(), "from the broker's restart until the " + backlog
                            + " outbox rows waiting at that moment were sent; nat-service matched ipam "
                            + IpamProcessKilled.seconds(figures.natMatched()) + " and dns-service "
                            + IpamProcessKilled.seconds(figures.dnsMatched()) + " after the load stopped");
        }
    }
}
