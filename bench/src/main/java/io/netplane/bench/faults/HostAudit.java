package io.netplane.bench.faults;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks every load-bearing fault ends with, for one host's containers: once ipam's outbox is
 * sent and the topics read to their end, what the clients were told, what the database holds, what
 * the outbox holds and what the topics carried agree, each change once; and, where asked, the
 * consumers (nat-service, dns-service) hold the same.
 */
final class HostAudit {

    private static final Duration SETTLE = Duration.ofSeconds(120);

    /** What the audit measured besides the verdict: how long the backlog and the consumers took after the load. */
    record Figures(long redelivered, Duration outboxSent, Duration natMatched, Duration dnsMatched) {
    }

    private HostAudit() {
    }

    static Figures run(FaultBed bed, String host, Ledger ledger, TopicRecorder topics, boolean consumers,
            Verdict verdict) throws Exception {
        IpamAudit ipam = new IpamAudit(bed.db());
        long loadStopped = System.nanoTime();
        Recovery.Result sent = Recovery.await(loadStopped, SETTLE,
                () -> ipam.unsent() == 0 && topics.caughtUp() ? List.of() : List.of("outbox not yet sent"));
        if (!sent.recovered()) {
            verdict.wrong("ipam's outbox still has " + ipam.unsent() + " unsent rows " + SETTLE + " after the load");
        }
        if (ipam.addressesHeldTwice() > 0) {
            verdict.duplicated(ipam.addressesHeldTwice() + " addresses held twice");
        }
        if (ipam.hostPortsHeldTwice() > 0) {
            verdict.duplicated(ipam.hostPortsHeldTwice() + " host ports held twice");
        }
        ledger.refusalsWithoutMessage().forEach(c -> verdict.wrong("refused without a message: " + c));
        ipam.against(ledger, host, verdict);
        ipam.halfMade(host, verdict);
        List<Change> outbox = ipam.outbox(host);
        List<Change> carried = topics.changes();
        topics.undecodable().forEach(u -> verdict.wrong("undecodable record " + u));
        IpamAudit.madeOnce(outbox, "in ipam's outbox", verdict);
        IpamAudit.madeOnce(carried, "on the topics", verdict);
        Set<String> published = new HashSet<>();
        carried.forEach(ch -> published.add(ch.eventId()));
        Set<String> committed = new HashSet<>();
        for (Change ch : outbox) {
            committed.add(ch.eventId());
            if (!published.contains(ch.eventId())) {
                verdict.lost("committed, never published: " + ch);
            }
        }
        for (Change ch : carried) {
            if (!committed.contains(ch.eventId())) {
                verdict.wrong("published, never committed: " + ch);
            }
        }
        Duration nat = Duration.ZERO;
        Duration dns = Duration.ZERO;
        if (consumers) {
            ConsumerAudit audit = new ConsumerAudit(bed.db());
            String dnsUrl = FaultBed.url(bed.dns);
            nat = consumer(Recovery.await(loadStopped, SETTLE, () -> audit.nat(host)), verdict);
            dns = consumer(Recovery.await(loadStopped, SETTLE, () -> audit.dns(dnsUrl, host, ledger)), verdict);
        }
        return new Figures(carried.size() - published.size(), sent.took(), nat, dns);
    }

    /** What a consumer still got wrong when the wait ran out: a change applied twice, or one it never applied. */
    private static Duration consumer(Recovery.Result r, Verdict verdict) {
        for (String p : r.remaining()) {
            if (p.startsWith("twice: ")) {
                verdict.duplicated(p.substring("twice: ".length()));
            } else {
                verdict.lost(p);
            }
        }
        return r.took();
    }
}
