package io.netplane.dns.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.netplane.dns.feed.ViewFeed;
import io.netplane.dns.forward.Forwarder;
import io.netplane.dns.forward.Upstreams;
import io.netplane.dns.resolve.QueryProcessor;
import io.netplane.dns.server.DnsServer;
import io.netplane.dns.server.UdpBatch;
import io.netplane.dns.view.View;
import io.netplane.events.DnsIdentity;
import io.netplane.events.kafka.KafkaClientProperties;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/** Wires the service at start: view feed from Kafka, forwarder, query path, UDP/TCP listeners. */
@Startup
@ApplicationScoped
public class DnsRuntime {

    private static final Logger LOG = Logger.getLogger(DnsRuntime.class);

    @Inject
    DnsConfig config;

    @Inject
    DnsMetrics metrics;

    @Inject
    MeterRegistry registry;

    @Inject
    Config mpConfig;

    private volatile View view = View.EMPTY;
    private ViewFeed feed;
    private Forwarder forwarder;
    private DnsServer server;

    @PostConstruct
    void start() {
        List<InetSocketAddress> upstreams = config.upstreams()
                .map(list -> list.stream().map(Upstreams::parse).toList())
                .orElseGet(() -> Upstreams.fromResolvConf(Path.of(config.resolvConf())));
        DnsIdentity identities = identityKey();
        forwarder = new Forwarder(upstreams, config.upstreamTimeout(), config.maxForwards(), config.cacheEntries());
        metrics.bind(this);
        Map<String, String> kafka = KafkaClientProperties.from(mpConfig.getPropertyNames(),
                name -> mpConfig.getOptionalValue(name, String.class));
        feed = new ViewFeed(kafka, v -> view = v).bindTo(registry).start();
        try {
            server = DnsServer.start(InetAddress.getByName(config.bindAddress()), config.port(),
                    config.udpLoops().orElse(0), config.udpBatch(),
                    new QueryProcessor(this::view, identities, forwarder, metrics));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.bindAddress() + ":" + config.port(), e);
        }
        String udp = server.batched() ? "batched recvmmsg/sendmmsg"
                : config.udpBatch() == UdpBatch.OFF ? "one datagram per call, udp-batch=off"
                : "one datagram per call, batches unavailable: " + DnsServer.whyNotBatched();
        LOG.infof("DNS listening on %s:%d (UDP x%d, %s; TCP), upstreams %s", config.bindAddress(), server.port(),
                server.udpLoops(), udp, upstreams);
    }

    private DnsIdentity identityKey() {
        String key = config.identityKey().orElseThrow(() -> new IllegalStateException(DnsIdentity.KEY_PROPERTY
                + " is not set: without it no host agent's query can prove its container; "
                + DnsIdentity.howToMakeOne()));
        try {
            return DnsIdentity.fromBase64(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @PreDestroy
    void stop() {
        if (server != null) {
            server.close();
        }
        if (feed != null) {
            feed.close();
        }
    }

    public View view() {
        return view;
    }

    public boolean caughtUp() {
        return feed.caughtUp();
    }

    /** The feed that keeps the view current from Kafka, for health. */
    public ViewFeed feed() {
        return feed;
    }

    /** The port actually bound (differs from the configured one when that is 0). */
    public int port() {
        return server.port();
    }

    public long cacheSize() {
        return forwarder.cacheSize();
    }
}
