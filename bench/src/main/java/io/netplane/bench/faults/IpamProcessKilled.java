package io.netplane.bench.faults;

import io.netplane.localcluster.up.ServiceProcess;
import java.time.Duration;
import java.util.List;

/**
 * Fault a: two ipam-service processes on one database, half the clients on each, one SIGKILLed
 * mid-run; its clients then go to the survivor. The one killed is the first started, which holds
 * the outbox relay's lock, so the survivor must also take over publishing. No address or host port may be held twice; every
 * acknowledged change must be stored and published exactly once, every refused one absent.
 */
final class IpamProcessKilled {

    static final String NAME = "a. one of two ipam-service processes SIGKILLed";

    private IpamProcessKilled() {
    }

    static FaultReport run(FaultBed bed, Scale scale) throws Exception {
        ServiceProcess second = bed.ipamProcess("ipam-b");
        bed.ready(second);
        String victim = FaultBed.url(bed.ipam);
        String survivor = FaultBed.url(second);
        Verdict verdict = new Verdict();
        IpamAudit ipam = new IpamAudit(bed.db());
        try (LoadRun run = LoadRun.start(bed, "fa", scale.clients(), List.of(victim, survivor))) {
            LoadRun.hold(scale.before());
            long killed = System.nanoTime();
            bed.ipam.kill();
            run.churn.redirect(victim, survivor);
            long lastRow = ipam.lastOutboxId();
            Recovery.Result takenOver = Recovery.await(killed, Duration.ofSeconds(120),
                    () -> ipam.unsentUpTo(lastRow) == 0 ? List.of() : List.of("the killed relay's rows are unsent"));
            if (!takenOver.recovered()) {
                verdict.wrong("the survivor did not publish the rows committed before the kill within 120 s");
            }
            LoadRun.hold(scale.after());
            run.stopLoad();
            Duration back = run.ledger.firstAcknowledgedAfter(killed, c -> run.churn.talksTo(c, victim))
                    .map(t -> Duration.ofNanos(t - killed)).orElse(Duration.ZERO);
            if (back.isZero()) {
                verdict.wrong("no client of the killed process was answered again");
            }
            HostAudit.Figures figures = HostAudit.run(bed, run.host, run.ledger, run.topics, false, verdict);
            bed.restart(bed.ipam); // the faults after this one use it
            second.stop();
            return run.report(NAME, scale.clients(), verdict, figures, takenOver.took(),
                    "from the SIGKILL until every outbox row committed before it was published: the survivor's relay"
                            + " took the lock over; the killed process's clients were answered by the survivor "
                            + seconds(back) + " after the kill");
        }
    }

    static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
