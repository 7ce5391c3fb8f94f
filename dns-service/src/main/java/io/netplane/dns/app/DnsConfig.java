package io.netplane.dns.app;

import io.netplane.dns.server.UdpBatch;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code netplane.dns.*}: where the server listens and where outside names go. */
@ConfigMapping(prefix = "netplane.dns")
public interface DnsConfig {

    /** Address the UDP and TCP listeners bind. */
    @WithDefault("127.0.0.1")
    String bindAddress();

    /** Port for both UDP and TCP; 0 picks a free one. */
    @WithDefault("5353")
    int port();

    /**
     * UDP sockets (and threads) sharing the port through SO_REUSEPORT. When unset: one with
     * batches (it takes larger batches and sleeps less often than two; bench/dns/RESULTS.md),
     * two, one per core, without.
     */
    OptionalInt udpLoops();

    /**
     * {@code auto}: on Linux each UDP loop takes and sends up to 32 datagrams per system call
     * ({@code recvmmsg}/{@code sendmmsg}); elsewhere, or when the calls fail a probe at start,
     * and with {@code off}, one {@code recvfrom} and {@code sendto} per query through Java NIO.
     */
    @WithDefault("auto")
    UdpBatch udpBatch();

    /** Upstream resolvers as ip[:port]; when absent, the nameservers of {@link #resolvConf()}. */
    Optional<List<String>> upstreams();

    @WithDefault("/etc/resolv.conf")
    String resolvConf();

    /** How long to wait for one upstream before trying the next. */
    @WithDefault("1500ms")
    Duration upstreamTimeout();

    /** Forwards waiting at once; beyond this, queries for outside names get REFUSED (Docker: 1024). */
    @WithDefault("1024")
    int maxForwards();

    @WithDefault("10000")
    long cacheEntries();

    /**
     * The secret shared with the host agents that signs each stub query's identity option
     * (base64, at least 32 bytes; see {@code DnsIdentity}). Required: without it no query
     * could prove its container, so the service refuses to start rather than refuse every
     * container. The dev and test profiles configure a fixed, non-secret one.
     */
    Optional<String> identityKey();
}
