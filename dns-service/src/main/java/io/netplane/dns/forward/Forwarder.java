package io.netplane.dns.forward;

import io.netplane.dns.server.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

/**
 * Sends names that are not container names to the upstream resolvers: in order, each with a
 * timeout, moving on after a timeout, an I/O error, SERVFAIL or REFUSED (Docker's rule); the
 * first other answer wins and is cached. When none answers the result is SERVFAIL, so the client
 * hears back within {@code upstreams x timeout} instead of timing out itself.
 */
public final class Forwarder {

    private final List<Upstream> upstreams;
    private final ResponseCache cache;
    private final Semaphore inFlight;

    private record Upstream(SimpleResolver udp, SimpleResolver tcp) {
    }

    public Forwarder(List<InetSocketAddress> upstreams, Duration timeout, int maxInFlight, long cacheEntries) {
        this.upstreams = upstreams.stream().map(a -> new Upstream(resolver(a, timeout, false), resolver(a, timeout, true)))
                .toList();
        this.cache = new ResponseCache(cacheEntries);
        this.inFlight = new Semaphore(maxInFlight);
    }

    private static SimpleResolver resolver(InetSocketAddress address, Duration timeout, boolean tcp) {
        SimpleResolver r = new SimpleResolver(address);
        r.setTimeout(timeout);
        r.setTCP(tcp);
        return r;
    }

    /**
     * The answer for one question: from the cache, from the first upstream that answers, or a
     * SERVFAIL message when none does (REFUSED when too many forwards are already waiting).
     */
    public CompletableFuture<Message> forward(Record question, Transport transport) {
        Message cached = cache.get(question);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        if (upstreams.isEmpty()) {
            return CompletableFuture.completedFuture(failure(question, Rcode.SERVFAIL));
        }
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.completedFuture(failure(question, Rcode.REFUSED));
        }
        Message query = Message.newQuery(question);
        return tryFrom(0, query, transport).whenComplete((answer, error) -> inFlight.release());
    }

    private CompletableFuture<Message> tryFrom(int index, Message query, Transport transport) {
        if (index >= upstreams.size()) {
            return CompletableFuture.completedFuture(failure(query.getQuestion(), Rcode.SERVFAIL));
        }
        Upstream upstream = upstreams.get(index);
        SimpleResolver resolver = transport == Transport.TCP ? upstream.tcp() : upstream.udp();
        return resolver.sendAsync(query.clone()).toCompletableFuture()
                .handle((answer, error) -> error == null && usable(answer) ? answer : null)
                .thenCompose(answer -> {
                    if (answer == null) {
                        return tryFrom(index + 1, query, transport);
                    }
                    cache.put(query.getQuestion(), answer);
                    return CompletableFuture.completedFuture(answer);
                });
    }

    private static boolean usable(Message answer) {
        int rcode = answer.getRcode();
        return rcode != Rcode.SERVFAIL && rcode != Rcode.REFUSED;
    }

    private static Message failure(Record question, int rcode) {
        Message m = new Message();
        m.addRecord(question, org.xbill.DNS.Section.QUESTION);
        m.getHeader().setRcode(rcode);
        return m;
    }

    public int upstreamCount() {
        return upstreams.size();
    }

    public long cacheSize() {
        return cache.size();
    }
}
