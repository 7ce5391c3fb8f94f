package io.netplane.agent.dns;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.events.DnsIdentity;
import io.netplane.events.validate.Ipv4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One {@link DnsStub} per live sandbox, kept in step with the reconciler's view of sandboxes, and
 * optionally one on the host ({@link #serveHost}) for the containers of its Docker engines. All
 * share one worker pool. Must be created on a thread of the agent's own namespace (its worker
 * pool inherits it).
 */
public final class DnsStubs implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DnsStubs.class);

    /**
     * Threads forwarding UDP queries, shared by all sandboxes. Each holds one query for at most
     * {@link DnsStub#FORWARD_TIMEOUT_MS}; dns-service usually answers within a millisecond, so
     * 64 carry tens of thousands of queries a second, and a flooding sandbox holds at most a
     * quarter of them ({@link DnsStub#MAX_UDP_IN_FLIGHT}, queued ones included).
     */
    static final int WORKERS = 64;
    /** Queries waiting for a worker; beyond it a query is dropped and its client retries. */
    private static final int QUEUED = 256;
    private static final long IDLE_WORKER_SECONDS = 60;
    /** Where the host's stub listens: the address each Docker engine of the host has as its upstream DNS. */
    public static final String HOST_ADDRESS_PROPERTY = "netplane.agent.docker.dns-address";

    private final NamespaceManager namespaces;
    private final DnsServiceLink service;
    private final int port;
    private final ThreadPoolExecutor workers;
    private final Map<String, Running> stubs = new HashMap<>();
    private DnsStub hostStub;

    private record Running(Path sandbox, DnsStub stub) {
    }

    public DnsStubs(NamespaceManager namespaces, DnsServiceLink service, int port) {
        this.namespaces = namespaces;
        this.service = service;
        this.port = port;
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, IDLE_WORKER_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED), r -> {
                    Thread t = new Thread(r, "dns-forward");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        workers.allowCoreThreadTimeOut(true);
    }

    /** Starts stubs in new sandboxes, stops those whose sandbox is gone (container id to namespace). */
    public synchronized void sync(Map<String, Path> live) {
        stubs.entrySet().removeIf(e -> {
            boolean gone = !e.getValue().sandbox().equals(live.get(e.getKey()));
            if (gone) {
                e.getValue().stub().close();
            }
            return gone;
        });
        live.forEach((containerId, sandbox) -> {
            if (!stubs.containsKey(containerId)) {
                try {
                    stubs.put(containerId,
                            new Running(sandbox, DnsStub.inSandbox(namespaces, sandbox, containerId, service, workers, port)));
                } catch (RuntimeException e) {
                    LOG.warnf("DNS stub in %s: %s", sandbox, e.getMessage());
                }
            }
        });
    }

    /**
     * The address {@value #HOST_ADDRESS_PROPERTY} names, checked before anything starts.
     *
     * @param service dns-service, which the host's stub asks (null when not configured)
     * @throws IllegalArgumentException saying what is wrong and how to fix it
     */
    public static InetAddress hostAddress(String text, DnsServiceLink service) {
        if (service == null) {
            throw new IllegalArgumentException(HOST_ADDRESS_PROPERTY + " is set but netplane.agent.dns-service is not:"
                    + " the host's DNS stub answers Docker's containers by asking dns-service as them; set"
                    + " netplane.agent.dns-service (and " + DnsIdentity.KEY_PROPERTY + ") or unset "
                    + HOST_ADDRESS_PROPERTY);
        }
        String shown = text == null ? "" : text;
        Long value = Ipv4Address.parse(shown);
        if (value == null) {
            throw new IllegalArgumentException(HOST_ADDRESS_PROPERTY + " must be an IPv4 address such as 192.0.2.1 (the"
                    + " host's underlay address, which daemon.json names under \"dns\"), not \"" + shown + "\"");
        }
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) (long) value};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    /**
     * Starts the host's stub on {@code address}:port inside the host's namespace ({@code hostNetns},
     * null: the agent's own), answering each query as the container {@code who} finds at its source.
     *
     * @throws IllegalStateException when it cannot listen there, saying why
     */
    public synchronized void serveHost(Path hostNetns, InetAddress address, WhoAsks who) {
        if (hostStub != null) {
            throw new IllegalStateException("the host's DNS stub already runs");
        }
        InetSocketAddress listen = new InetSocketAddress(address, port);
        try {
            hostStub = new DnsStub(namespaces, hostNetns, listen, who, service, workers,
                    "host-" + address.getHostAddress());
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot serve DNS to Docker's containers on " + address.getHostAddress() + ":"
                    + port + " (UDP and TCP) in " + (hostNetns == null ? "the agent's own namespace" : hostNetns)
                    + ": " + cause.getMessage() + "; " + HOST_ADDRESS_PROPERTY
                    + " must be an address of that namespace, and port " + port + " free there", e);
        }
        LOG.infof("DNS for Docker's containers on %s", listen);
    }

    public synchronized int size() {
        return stubs.size();
    }

    @Override
    public synchronized void close() {
        stubs.values().forEach(r -> r.stub().close());
        stubs.clear();
        if (hostStub != null) {
            hostStub.close();
            hostStub = null;
        }
        workers.shutdownNow();
    }
}
