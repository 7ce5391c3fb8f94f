package io.netplane.agent.dns;

import io.netplane.agent.netns.NamespaceManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A resolver for containers, on UDP and TCP: in a sandbox at 127.0.0.11:53 for the one container
 * in it ({@link #inSandbox}), or on the host's address that its Docker engines use as their
 * upstream, for the Docker containers of this host ({@link DockerAskers}). Its listening sockets
 * are opened inside the given namespace (on the namespace switcher thread); everything else runs
 * on threads of the agent's own namespace, so queries are forwarded to dns-service from there,
 * each carrying the asker's signed identity as an EDNS0 option: the container's, or on the
 * host's stub, for a source that is no Docker container of this host, the host's. A query from a
 * source {@link WhoAsks} gives no asker is answered REFUSED by the stub itself and never reaches
 * dns-service. What one asker may hold is bounded: {@link #MAX_UDP_IN_FLIGHT} forwards on the
 * shared workers and {@link #MAX_TCP_CLIENTS} connections, so a container flooding its resolver
 * slows only itself; the sources the host's stub asks for as the host share one asker's bounds,
 * so together they never take more of the workers than one container does.
 */
public final class DnsStub implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DnsStub.class);
    public static final String ADDRESS = "127.0.0.11";

    /**
     * How long a forward waits for dns-service: longer than dns-service takes to try two
     * upstreams (1.5 s each by default), so the container hears dns-service's SERVFAIL rather
     * than the stub's silence.
     */
    static final int FORWARD_TIMEOUT_MS = 4000;
    /**
     * UDP queries of one sandbox being forwarded at once; beyond it its queries are dropped (the
     * client retries, as with any busy resolver), so one flooding container holds at most this
     * many of the workers all sandboxes share ({@link DnsStubs#WORKERS}).
     */
    static final int MAX_UDP_IN_FLIGHT = 16;
    /** TCP connections of one sandbox at once, each on its own thread; more are closed at accept. */
    static final int MAX_TCP_CLIENTS = 4;
    /** A TCP client that sends no query for this long is closed (RFC 7766 §6.2.3: seconds, not minutes). */
    static final int TCP_IDLE_MS = 10_000;
    /** TCP connections of the whole stub at once (each holds a thread): the host's stub serves many containers. */
    static final int MAX_TCP_TOTAL = 64;
    private static final int MAX_MESSAGE = 65_535;

    private final String label;
    private final WhoAsks who;
    private final DnsServiceLink service;
    private final Executor workers;
    private final PerAsker udpInFlight = new PerAsker(MAX_UDP_IN_FLIGHT);
    private final PerAsker tcpClients = new PerAsker(MAX_TCP_CLIENTS);
    private final Semaphore tcpTotal = new Semaphore(MAX_TCP_TOTAL);
    private final Set<Socket> connected = ConcurrentHashMap.newKeySet();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private volatile boolean open = true;

    /** The stub at 127.0.0.11:{@code port} inside a sandbox, asking as the sandbox's container. */
    public static DnsStub inSandbox(NamespaceManager namespaces, Path sandbox, String containerId,
            DnsServiceLink service, Executor workers, int port) {
        return new DnsStub(namespaces, sandbox, new InetSocketAddress(loopback(), port), WhoAsks.always(containerId),
                service, workers, containerId);
    }

    /**
     * @param namespace where to listen (null: the agent's own namespace)
     * @param who       the container each query comes from, by its source address
     * @param label     names the stub's threads
     */
    public DnsStub(NamespaceManager namespaces, Path namespace, InetSocketAddress listen, WhoAsks who,
            DnsServiceLink service, Executor workers, String label) {
        this.label = label;
        this.who = who;
        this.service = service;
        this.workers = workers;
        this.udp = namespaces.inNamespace(namespace, () -> new DatagramSocket(listen));
        try {
            this.tcp = namespaces.inNamespace(namespace, () -> {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(listen, MAX_TCP_CLIENTS);
                return s;
            });
        } catch (RuntimeException e) {
            udp.close();
            throw e;
        }
        start("dns-udp-" + label, this::serveUdp);
        start("dns-tcp-" + label, this::serveTcp);
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 11});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void serveUdp() {
        byte[] buf = new byte[MAX_MESSAGE];
        while (open) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (IOException e) {
                if (open) {
                    LOG.debugf("udp receive: %s", e.getMessage());
                }
                continue;
            }
            byte[] query = Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
            SocketAddress client = p.getSocketAddress();
            String asker = asker(p.getAddress());
            if (asker == null) {
                reply(IdentityQuery.refused(query), client); // a stranger: never forwarded
                continue;
            }
            if (!udpInFlight.tryAcquire(asker)) {
                continue; // this container has enough queries waiting: drop, the client retries
            }
            try {
                workers.execute(() -> {
                    try {
                        reply(forwardUdp(query, asker), client);
                    } finally {
                        udpInFlight.release(asker);
                    }
                });
            } catch (RejectedExecutionException busy) {
                udpInFlight.release(asker); // every worker and queue slot taken: drop
            }
        }
    }

    /** Who asks from {@code source}; null (a stranger) also when finding out fails, which must not end a serving loop. */
    private String asker(InetAddress source) {
        try {
            return who.askerAt(source);
        } catch (RuntimeException e) {
            LOG.warnf("who asks from %s: %s", source, e.getMessage());
            return null;
        }
    }

    private void reply(byte[] answer, SocketAddress client) {
        if (answer != null) {
            try {
                udp.send(new DatagramPacket(answer, answer.length, client));
            } catch (IOException e) {
                LOG.debugf("udp reply: %s", e.getMessage());
            }
        }
    }

    /**
     * Over a socket connected to dns-service (the kernel drops datagrams from anyone else), on a
     * fresh port per query, taking only a response with the query's id.
     */
    private byte[] forwardUdp(byte[] query, String asker) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(service.address());
            IdentityQuery forwarded = IdentityQuery.of(query, asker, service.key());
            byte[] out = forwarded.wire();
            s.send(new DatagramPacket(out, out.length));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FORWARD_TIMEOUT_MS);
            byte[] buf = new byte[MAX_MESSAGE];
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            do {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new SocketTimeoutException("no answer from " + service.address());
                }
                s.setSoTimeout((int) left);
                reply.setLength(buf.length);
                s.receive(reply);
            } while (!forwarded.answeredBy(buf, reply.getLength()));
            byte[] answer = forwarded.toClient(Arrays.copyOf(buf, reply.getLength()));
            return answer != null ? answer : IdentityQuery.servfail(query);
        } catch (IOException e) {
            LOG.debugf("forward to %s: %s", service.address(), e.getMessage());
            return IdentityQuery.servfail(query);
        }
    }

    private void serveTcp() {
        while (open) {
            Socket client;
            try {
                client = tcp.accept();
            } catch (IOException e) {
                if (open) {
                    LOG.debugf("tcp accept: %s", e.getMessage());
                }
                continue;
            }
            String asker = asker(client.getInetAddress());
            String key = asker != null ? asker : "?" + client.getInetAddress().getHostAddress();
            if (!tcpTotal.tryAcquire()) {
                closeQuietly(client); // the stub holds enough connections
                continue;
            }
            if (!tcpClients.tryAcquire(key)) {
                tcpTotal.release();
                closeQuietly(client); // enough connections from this asker (or refused source)
                continue;
            }
            connected.add(client);
            start("dns-tcp-client-" + label, () -> {
                try {
                    serveTcpClient(client);
                } finally {
                    connected.remove(client);
                    tcpClients.release(key);
                    tcpTotal.release();
                }
            });
        }
    }

    private void serveTcpClient(Socket client) {
        try (client) {
            client.setSoTimeout(TCP_IDLE_MS);
            DataInputStream in = new DataInputStream(client.getInputStream());
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            while (open) {
                int len;
                try {
                    len = in.readUnsignedShort();
                } catch (IOException eofOrIdle) {
                    return;
                }
                byte[] query = in.readNBytes(len);
                // asked again for every query: the container at that address may have gone meanwhile
                String asker = asker(client.getInetAddress());
                byte[] answer = asker == null ? IdentityQuery.refused(query) : forwardTcp(query, asker);
                if (answer == null) {
                    return;
                }
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (IOException e) {
            LOG.debugf("tcp client: %s", e.getMessage());
        }
    }

    private byte[] forwardTcp(byte[] query, String asker) {
        try (Socket s = new Socket()) {
            s.connect(service.address(), FORWARD_TIMEOUT_MS);
            s.setSoTimeout(FORWARD_TIMEOUT_MS);
            IdentityQuery forwarded = IdentityQuery.of(query, asker, service.key());
            byte[] q = forwarded.wire();
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(q.length);
            out.write(q);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] reply = in.readNBytes(in.readUnsignedShort());
            byte[] answer = forwarded.answeredBy(reply, reply.length) ? forwarded.toClient(reply) : null;
            return answer != null ? answer : IdentityQuery.servfail(query);
        } catch (IOException e) {
            LOG.debugf("forward over tcp to %s: %s", service.address(), e.getMessage());
            return IdentityQuery.servfail(query);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.debugf("close: %s", e.getMessage());
        }
    }

    /** At most {@code max} held at once by each asker; an asker holding none is forgotten. */
    private static final class PerAsker {
        private final int max;
        private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();

        PerAsker(int max) {
            this.max = max;
        }

        boolean tryAcquire(String asker) {
            boolean[] taken = {false};
            held.compute(asker, (k, n) -> {
                int now = n == null ? 0 : n;
                if (now >= max) {
                    return n;
                }
                taken[0] = true;
                return now + 1;
            });
            return taken[0];
        }

        void release(String asker) {
            held.computeIfPresent(asker, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    @Override
    public void close() {
        open = false;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            LOG.debugf("close: %s", e.getMessage());
        }
        connected.forEach(DnsStub::closeQuietly);
    }
}
