package io.netplane.dns.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netplane.dns.resolve.QueryMetrics;
import io.netplane.dns.server.Transport;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Rcode;

/**
 * Micrometer meters: {@code netplane.dns.queries} by transport, {@code netplane.dns.answers}
 * by rcode and source (view or upstream), {@code netplane.dns.latency} histogram by source and
 * rcode (the six of RFC 1035 by name, any later one as "other": each is a histogram of its own), and
 * gauges for the view and cache sizes. Meters are created once; counts live in LongAdders read
 * at scrape time, because the composite registry's counters cost a measurable share per query.
 * A {@code @Singleton}, not {@code @ApplicationScoped}: the query path calls it twice per query,
 * and an application-scoped bean is reached through a client proxy that looks the instance up
 * each time (it showed in profiles of the UDP threads).
 */
@Singleton
public class DnsMetrics implements QueryMetrics {

    private static final int RCODES = 16;
    /** NOERROR to REFUSED timed each on its own; later rcodes share one histogram. */
    private static final int TIMED_RCODES = Rcode.REFUSED + 1;

    @Inject
    MeterRegistry registry;

    private LongAdder[] queries;
    private LongAdder[][] answers;
    private Timer[][] latency;

    void bind(DnsRuntime runtime) {
        queries = new LongAdder[Transport.values().length];
        for (Transport t : Transport.values()) {
            queries[t.ordinal()] = new LongAdder();
            FunctionCounter.builder("netplane.dns.queries", queries[t.ordinal()], LongAdder::doubleValue)
                    .tag("transport", t.name().toLowerCase()).description("DNS messages received").register(registry);
        }
        answers = new LongAdder[2][RCODES];
        latency = new Timer[2][TIMED_RCODES + 1];
        for (int source = 0; source < 2; source++) {
            String sourceTag = source == 0 ? "upstream" : "view";
            for (int rcode = 0; rcode < RCODES; rcode++) {
                answers[source][rcode] = new LongAdder();
                FunctionCounter.builder("netplane.dns.answers", answers[source][rcode], LongAdder::doubleValue)
                        .tag("rcode", Rcode.string(rcode)).tag("source", sourceTag)
                        .description("DNS answers sent").register(registry);
            }
            for (int rcode = 0; rcode <= TIMED_RCODES; rcode++) {
                latency[source][rcode] = Timer.builder("netplane.dns.latency").tag("source", sourceTag)
                        .tag("rcode", rcode < TIMED_RCODES ? Rcode.string(rcode) : "other")
                        .description("time from query received to answer sent")
                        .publishPercentileHistogram().register(registry);
            }
        }
        Gauge.builder("netplane.dns.view.endpoints", runtime, r -> r.view().endpointCount())
                .description("endpoints in the DNS view").register(registry);
        Gauge.builder("netplane.dns.view.networks", runtime, r -> r.view().networkCount())
                .description("networks in the DNS view").register(registry);
        Gauge.builder("netplane.dns.cache.entries", runtime, DnsRuntime::cacheSize)
                .description("upstream answers cached").register(registry);
    }

    @Override
    public void received(Transport transport) {
        queries[transport.ordinal()].increment();
    }

    @Override
    public void answered(int rcode, boolean local, long nanos) {
        int source = local ? 1 : 0;
        answers[source][rcode & (RCODES - 1)].increment();
        latency[source][Math.min(rcode & (RCODES - 1), TIMED_RCODES)].record(nanos, TimeUnit.NANOSECONDS);
    }
}
