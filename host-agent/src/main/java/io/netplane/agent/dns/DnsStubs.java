package io.netplane.agent.dns;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.reconcile.DesiredState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One {@link DnsStub} per live sandbox, kept in step with the reconciler's view of sandboxes, and
 * optionally one on the host ({@link #serveDocker}) for the containers of its Docker engines. All
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
     * Starts the host's stub on {@code address}:port inside the host's namespace ({@code hostNetns},
     * null: the agent's own), for this host's Docker engines: each query is answered as the Docker
     * container of this host at its source address in {@code desired}, any other as host
     * {@code hostId} (see {@link DockerAskers}).
     *
     * @throws IllegalStateException when it cannot listen there, saying why
     */
    public synchronized void serveDocker(Path hostNetns, InetAddress address, String hostId,
            Supplier<DesiredState> desired) {
        WhoAsks who = new DockerAskers(hostId, desired);
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
                    + ": " + cause.getMessage() + "; " + DnsServiceLink.DOCKER_DNS_PROPERTY
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
