package io.netplane.agent.dns;

import io.netplane.agent.netns.NamespaceManager;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * One {@link DnsStub} per live sandbox, kept in step with the reconciler's view of sandboxes.
 * Must be created on a thread of the agent's own namespace (its worker pool inherits it).
 */
public final class DnsStubs implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DnsStubs.class);

    private final NamespaceManager namespaces;
    private final InetSocketAddress upstream;
    private final int port;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dns-forward");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Running> stubs = new HashMap<>();

    private record Running(Path sandbox, DnsStub stub) {
    }

    public DnsStubs(NamespaceManager namespaces, InetSocketAddress upstream, int port) {
        this.namespaces = namespaces;
        this.upstream = upstream;
        this.port = port;
    }

    /** "host:port" of dns-service. */
    public static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("netplane.agent.dns-service must read address:port, not " + hostPort);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
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
                            new Running(sandbox, new DnsStub(namespaces, sandbox, containerId, upstream, workers, port)));
                } catch (RuntimeException e) {
                    LOG.warnf("DNS stub in %s: %s", sandbox, e.getMessage());
                }
            }
        });
    }

    public synchronized int size() {
        return stubs.size();
    }

    @Override
    public synchronized void close() {
        stubs.values().forEach(r -> r.stub().close());
        stubs.clear();
        workers.shutdownNow();
    }
}
