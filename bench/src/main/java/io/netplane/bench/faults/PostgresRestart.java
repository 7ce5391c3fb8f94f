package io.netplane.bench.faults;

import java.time.Duration;
import java.util.List;

/**
 * Fault c: PostgreSQL stopped mid-load and started again. Every call is answered, a success or a
 * refusal with a message (ipam-service is up; only its database is not); nothing is half-made; once
 * the database is back, calls succeed again, and everything acknowledged is stored, published once
 * and held by the consumers.
 */
final class PostgresRestart {

    static final String NAME = "c. PostgreSQL stopped and restarted";

    private PostgresRestart() {
    }

    static FaultReport run(FaultBed bed, Scale scale) throws Exception {
        Verdict verdict = new Verdict();
        try (LoadRun run = LoadRun.start(bed, "fc", scale.clients(), List.of(FaultBed.url(bed.ipam)))) {
            LoadRun.hold(scale.before());
            bed.cluster.stopPostgres();
            LoadRun.hold(scale.postgresDown());
            long starting = System.nanoTime();
            bed.cluster.startPostgres();
            long restarted = System.nanoTime();
            Recovery.Result answered = Recovery.await(restarted, Duration.ofSeconds(120),
                    () -> run.ledger.firstAcknowledgedAfter(restarted, c -> true).isPresent() ? List.of()
                            : List.of("no call acknowledged yet"));
            if (!answered.recovered()) {
                verdict.wrong("no call was acknowledged within 120 s of the database's restart");
            }
            Duration back = run.ledger.firstAcknowledgedAfter(restarted, c -> true)
                    .map(t -> Duration.ofNanos(t - restarted)).orElse(answered.took());
            LoadRun.hold(scale.after());
            run.stopLoad();
            run.ledger.unanswered().forEach(c -> verdict.wrong("no answer (ipam-service was up): " + c));
            HostAudit.Figures figures = HostAudit.run(bed, run.host, run.ledger, run.topics, true, verdict);
            return run.report(NAME + " (" + scale.postgresDown().toSeconds() + " s down)", scale.clients(), verdict,
                    figures, back, "from the database accepting connections again (its start took "
                            + IpamProcessKilled.seconds(Duration.ofNanos(restarted - starting))
                            + ") to the first acknowledged call; nat-service matched ipam "
                            + IpamProcessKilled.seconds(figures.natMatched()) + " and dns-service "
                            + IpamProcessKilled.seconds(figures.dnsMatched()) + " after the load stopped");
        }
    }
}
