package io.netplane.dns.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The DNS listener: {@code udpLoops} blocking UDP sockets (one thread each, see {@link UdpLoop}
 * and {@link BatchUdpLoop})
 * sharing one port through SO_REUSEPORT, and one non-blocking TCP listener on the same port.
 * Port 0 picks a free port (tests), reported by {@link #port()}.
 */
public final class DnsServer implements AutoCloseable {

    private static final int BIND_ATTEMPTS = 20;
    /** Socket buffers per UDP loop: a burst of queries waits in the kernel rather than being dropped. */
    private static final int UDP_BUFFER_BYTES = 4 << 20;
    /** TCP connections the kernel holds until the loop accepts them. */
    private static final int TCP_BACKLOG = 256;

    private final List<UdpListener> udpLoops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private TcpLoop tcpLoop;
    private int port;
    private boolean batched;

    private DnsServer() {
    }

    /**
     * @param udpLoops UDP sockets and threads; 0: one when batched, else two
     * @param batch {@link UdpBatch#AUTO}: {@link BatchUdpLoop}s where recvmmsg/sendmmsg work,
     *              else (and with {@link UdpBatch#OFF}) {@link UdpLoop}s; see {@link #batched()}
     */
    public static DnsServer start(InetAddress address, int port, int udpLoops, UdpBatch batch, QueryHandler handler)
            throws IOException {
        LinuxUdp linux = batch == UdpBatch.AUTO ? LinuxUdp.load() : null;
        DnsServer server = new DnsServer();
        IOException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            try {
                server.bind(address, port, udpLoops > 0 ? udpLoops : linux != null ? 1 : 2, linux, handler);
                server.startThreads();
                return server;
            } catch (IOException e) {
                // with port 0 the TCP side may find the port UDP got already taken: pick another
                server.close();
                server = new DnsServer();
                last = e;
                if (port != 0) {
                    break;
                }
            }
        }
        throw last;
    }

    private void bind(InetAddress address, int wantedPort, int loops, LinuxUdp linux, QueryHandler handler)
            throws IOException {
        StandardProtocolFamily family = address.getAddress().length == 4
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
        int bound = wantedPort;
        for (int i = 0; i < loops; i++) {
            if (linux != null) {
                BatchUdpLoop loop = BatchUdpLoop.open(linux, new InetSocketAddress(address, bound), UDP_BUFFER_BYTES,
                        handler);
                udpLoops.add(loop);
                bound = loop.port();
                batched = true;
                continue;
            }
            DatagramChannel udp = DatagramChannel.open(family);
            try {
                udp.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                udp.setOption(StandardSocketOptions.SO_RCVBUF, UDP_BUFFER_BYTES);
                udp.setOption(StandardSocketOptions.SO_SNDBUF, UDP_BUFFER_BYTES);
                udp.bind(new InetSocketAddress(address, bound));
            } catch (IOException e) {
                udp.close();
                throw e;
            }
            bound = ((InetSocketAddress) udp.getLocalAddress()).getPort();
            udpLoops.add(new UdpLoop(udp, handler));
        }
        ServerSocketChannel tcp = ServerSocketChannel.open(family);
        try {
            tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            tcp.bind(new InetSocketAddress(address, bound), TCP_BACKLOG);
        } catch (IOException e) {
            tcp.close();
            throw e;
        }
        tcpLoop = new TcpLoop(tcp, handler);
        this.port = bound;
    }

    private void startThreads() {
        for (int i = 0; i < udpLoops.size(); i++) {
            threads.add(daemon(udpLoops.get(i), "dns-udp-" + i));
        }
        threads.add(daemon(tcpLoop, "dns-tcp"));
        threads.forEach(Thread::start);
    }

    private static Thread daemon(Runnable loop, String name) {
        Thread t = new Thread(loop, name);
        t.setDaemon(true);
        return t;
    }

    public int port() {
        return port;
    }

    public int udpLoops() {
        return udpLoops.size();
    }

    /** Whether the UDP loops receive and send in batches (recvmmsg/sendmmsg). */
    public boolean batched() {
        return batched;
    }

    /** Why batches were asked for but are not used: null when they are, or were not asked for. */
    public static String whyNotBatched() {
        return LinuxUdp.whyNot();
    }

    /** TCP connections whose queries wait unread because they do not read their answers. */
    int tcpHeldBack() {
        return tcpLoop.heldBack();
    }

    /** Bytes of TCP answers waiting to be written: bounded per connection, whatever clients do. */
    long tcpUnsentBytes() {
        return tcpLoop.unsentBytes();
    }

    @Override
    public void close() {
        if (threads.isEmpty()) {
            udpLoops.forEach(UdpListener::closeQuietly);
            if (tcpLoop != null) {
                tcpLoop.closeQuietly();
            }
            return;
        }
        udpLoops.forEach(UdpListener::stop);
        if (tcpLoop != null) {
            tcpLoop.stop();
        }
        for (Thread t : threads) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
