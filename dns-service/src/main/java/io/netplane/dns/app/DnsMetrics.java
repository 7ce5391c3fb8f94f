package io.netplane.dns.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netplane.dns.resolve.QueryMetrics;
import io.netplane.dns.server.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Rcode;

/**
 * Micrometer meters: {@code netplane.dns.queries} by transport, {@code netplane.dns.answers}
 * by rcode and source (view or upstream), {@code netplane.dns.latency} histogram by source, and
 * gauges for the view and cache sizes. Meters are created once; the query path only increments.
 */
@ApplicationScoped
public class DnsMetrics implements QueryMetrics {

    private static final int RCODES = 16;

    @Inject
    MeterRegistry registry;

    private Counter[] queries;
    private Counter[][] answers;
    private Timer[] latency;

    void bind(DnsRuntime runtime) {
        queries = new Counter[Transport.values().length];
        for (Transport t : Transport.values()) {
            queries[t.ordinal()] = Counter.builder("netplane.dns.queries").tag("transport", t.name().toLowerCase())
                    .description("DNS messages received").register(registry);
        }
        answers = new Counter[2][RCODES];
        latency = new Timer[2];
        for (int source = 0; source < 2; source++) {
            String sourceTag = source == 0 ? "upstream" : "view";
            for (int rcode = 0; rcode < RCODES; rcode++) {
                answers[source][rcode] = Counter.builder("netplane.dns.answers")
                        .tag("rcode", Rcode.string(rcode)).tag("source", sourceTag)
                        .description("DNS answers sent").register(registry);
            }
            latency[source] = Timer.builder("netplane.dns.latency").tag("source", sourceTag)
                    .description("time from query received to answer sent")
                    .publishPercentileHistogram().register(registry);
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
        latency[source].record(nanos, TimeUnit.NANOSECONDS);
    }
}
