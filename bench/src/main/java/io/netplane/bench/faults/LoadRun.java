package io.netplane.bench.faults;

import java.time.Duration;
import java.util.List;

/**
 * The part the load-bearing faults share: a host of their own with two networks, a recorder on the
 * topics, the churn of {@link Churn} against the given ipam-service processes, and the report.
 */
final class LoadRun implements AutoCloseable {

    final String host;
    final Ledger ledger;
    final Churn churn;
    final TopicRecorder topics;
    private final long startedNanos = System.nanoTime();
    private long stoppedNanos;

    private LoadRun(String host, Ledger ledger, Churn churn, TopicRecorder topics) {
        this.host = host;
        this.ledger = ledger;
        this.churn = churn;
        this.topics = topics;
    }

    /** Networks {@code host}-1 and -2 made through the first API, then {@code clients} clients churning on them. */
    static LoadRun start(FaultBed bed, String host, int clients, List<String> apis) throws Exception {
        for (String network : List.of(host + "-1", host + "-2")) {
            IpamApi.Answer made = IpamApi.createNetwork(apis.get(0), network);
            if (!made.ok()) {
                throw new IllegalStateException("network " + network + ": " + made.status() + " " + made.body());
            }
        }
        TopicRecorder topics = TopicRecorder.start(bed.cluster.kafkaBootstrap(), host);
        Ledger ledger = new Ledger();
        Churn churn = Churn.start(new Churn.Shape(host, host + "-c", host + "-1", host + "-2", true), clients, apis,
                ledger);
        return new LoadRun(host, ledger, churn, topics);
    }

    void stopLoad() throws InterruptedException {
        churn.stop();
        stoppedNanos = System.nanoTime();
    }

    String load(int clients) {
        return String.format("%d clients for %.0f s, each container created with a published port, connected to a"
                + " second network, disconnected, removed; %d calls", clients,
                (stoppedNanos - startedNanos) / 1e9, ledger.calls());
    }

    FaultReport report(String fault, int clients, Verdict verdict, HostAudit.Figures figures, Duration recovery,
            String recoveryMeaning) {
        return new FaultReport(fault, load(clients), ledger.count(Ledger.Outcome.ACKNOWLEDGED),
                ledger.count(Ledger.Outcome.REFUSED), ledger.count(Ledger.Outcome.NO_ANSWER), verdict.duplicates(),
                verdict.losses(), figures.redelivered(), recovery, recoveryMeaning, verdict.clean(), verdict.examples());
    }

    static void hold(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    @Override
    public void close() throws InterruptedException {
        topics.close();
    }
}
