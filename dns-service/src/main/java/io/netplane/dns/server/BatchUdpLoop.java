package io.netplane.dns.server;

import static io.netplane.dns.server.LinuxUdp.AF_INET;
import static io.netplane.dns.server.LinuxUdp.AF_INET6;
import static io.netplane.dns.server.LinuxUdp.IOVEC;
import static io.netplane.dns.server.LinuxUdp.MMSGHDR;
import static io.netplane.dns.server.LinuxUdp.MSG_IOV;
import static io.netplane.dns.server.LinuxUdp.MSG_IOVLEN;
import static io.netplane.dns.server.LinuxUdp.MSG_LEN;
import static io.netplane.dns.server.LinuxUdp.MSG_NAME;
import static io.netplane.dns.server.LinuxUdp.MSG_NAMELEN;
import static io.netplane.dns.server.LinuxUdp.SOCKADDR;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import jnr.ffi.Pointer;
import org.jboss.logging.Logger;

/**
 * {@link UdpLoop} with Linux's {@code recvmmsg}/{@code sendmmsg}: one system call takes up to
 * {@link #BATCH} queued datagrams (blocking only for the first), and one sends all the answers
 * given at once, each to the address its query came from. The kernel's per-datagram work stays;
 * the system-call entries and exits per query go. Queries that {@link QueryHandler#answerAtOnce}
 * leaves go to {@link QueryHandler#handle} as in {@link UdpLoop}, and their answers are sent one
 * by one with {@code sendto}, from whichever thread has them.
 */
final class BatchUdpLoop implements UdpListener {

    private static final Logger LOG = Logger.getLogger(BatchUdpLoop.class);
    static final int BATCH = 32;
    /** Larger than any UDP payload (65,527 bytes over IPv6), so no datagram is cut. */
    private static final int SLOT = 65_536;
    private static final int CACHED_SOURCES = 64;

    private final LinuxUdp udp;
    private final int fd;
    private final boolean ipv6;
    private final QueryHandler handler;
    /** Guards the descriptor against being closed, and its number reused, under a forwarded answer's sendto. */
    private final Object fdLock = new Object();
    private boolean closed;
    private volatile boolean running = true;

    /* Native memory, in native byte order: datagrams, then the receive and send header arrays,
       the iovecs and the source addresses. An answer is written over its query and sent to the
       address the query came from, so the send headers point into the same slots. */
    private final ByteBuffer data = ByteBuffer.allocateDirect(BATCH * SLOT);
    private final ByteBuffer meta = ByteBuffer.allocateDirect(BATCH * (2 * MMSGHDR + 2 * IOVEC + SOCKADDR))
            .order(ByteOrder.nativeOrder());
    private final int recvHeaders = 0;
    private final int sendHeaders = BATCH * MMSGHDR;
    private final int recvIovecs = 2 * BATCH * MMSGHDR;
    private final int sendIovecs = recvIovecs + BATCH * IOVEC;
    private final int names = sendIovecs + BATCH * IOVEC;
    private final long dataAddress;
    private final Pointer recvVector;
    private final long sendVectorAddress;

    /* Sources seen lately, by their raw IPv4 sockaddr, so a client asking again costs no new InetSocketAddress. */
    private final long[] sourceKeys = new long[CACHED_SOURCES];
    private final InetSocketAddress[] sources = new InetSocketAddress[CACHED_SOURCES];

    private BatchUdpLoop(LinuxUdp udp, int fd, boolean ipv6, QueryHandler handler) {
        this.udp = udp;
        this.fd = fd;
        this.ipv6 = ipv6;
        this.handler = handler;
        dataAddress = Pointer.wrap(udp.runtime, data).address();
        long metaAddress = Pointer.wrap(udp.runtime, meta).address();
        for (int i = 0; i < BATCH; i++) {
            long slot = dataAddress + (long) i * SLOT;
            long name = metaAddress + names + (long) i * SOCKADDR;
            meta.putLong(recvIovecs + i * IOVEC, slot).putLong(recvIovecs + i * IOVEC + 8, SLOT);
            header(recvHeaders + i * MMSGHDR, name, metaAddress + recvIovecs + (long) i * IOVEC);
            meta.putLong(sendIovecs + i * IOVEC, slot);
            header(sendHeaders + i * MMSGHDR, name, metaAddress + sendIovecs + (long) i * IOVEC);
        }
        recvVector = Pointer.wrap(udp.runtime, metaAddress + recvHeaders);
        sendVectorAddress = metaAddress + sendHeaders;
    }

    private void header(int at, long name, long iovec) {
        meta.putLong(at + MSG_NAME, name);
        meta.putInt(at + MSG_NAMELEN, SOCKADDR);
        meta.putLong(at + MSG_IOV, iovec);
        meta.putLong(at + MSG_IOVLEN, 1);
    }

    /** A socket bound to {@code address} (port 0: any free one), sharing its port through SO_REUSEPORT. */
    static BatchUdpLoop open(LinuxUdp udp, InetSocketAddress address, int bufferBytes, QueryHandler handler)
            throws IOException {
        boolean ipv6 = address.getAddress().getAddress().length == 16;
        int fd = udp.c.socket(ipv6 ? AF_INET6 : AF_INET, LinuxUdp.SOCK_DGRAM | LinuxUdp.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException(udp.error("socket").getMessage());
        }
        try {
            setInt(udp, fd, LinuxUdp.SO_REUSEPORT, 1);
            setInt(udp, fd, LinuxUdp.SO_RCVBUF, bufferBytes);
            setInt(udp, fd, LinuxUdp.SO_SNDBUF, bufferBytes);
            ByteBuffer sockaddr = ByteBuffer.allocateDirect(SOCKADDR).order(ByteOrder.nativeOrder());
            int length = writeSockaddr(sockaddr, address, ipv6);
            if (udp.c.bind(fd, sockaddr, length) < 0) {
                throw new IOException("bind " + address + ": " + udp.error("bind").getMessage());
            }
        } catch (IOException | RuntimeException e) {
            udp.c.close(fd);
            throw e;
        }
        return new BatchUdpLoop(udp, fd, ipv6, handler);
    }

    private static void setInt(LinuxUdp udp, int fd, int option, int value) throws IOException {
        ByteBuffer v = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        v.putInt(0, value);
        if (udp.c.setsockopt(fd, LinuxUdp.SOL_SOCKET, option, v, 4) < 0) {
            throw new IOException(udp.error("setsockopt " + option).getMessage());
        }
    }

    private static int writeSockaddr(ByteBuffer to, InetSocketAddress address, boolean ipv6) {
        byte[] ip = address.getAddress().getAddress();
        if (ipv6 && ip.length == 4) { // an IPv4 client of a dual-stack socket: ::ffff:a.b.c.d
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(ip, 0, mapped, 12, 4);
            ip = mapped;
        }
        to.putShort(0, (short) (ipv6 ? AF_INET6 : AF_INET));
        to.put(2, (byte) (address.getPort() >> 8)).put(3, (byte) address.getPort());
        if (!ipv6) {
            to.put(4, ip);
            return 16;
        }
        to.putInt(4, 0); // flow info
        to.put(8, ip);
        int scope = address.getAddress() instanceof Inet6Address v6 ? v6.getScopeId() : 0;
        to.putInt(24, scope);
        return SOCKADDR;
    }

    /** The port the socket got (the asked one unless that was 0). */
    int port() throws IOException {
        ByteBuffer sockaddr = ByteBuffer.allocateDirect(SOCKADDR).order(ByteOrder.nativeOrder());
        ByteBuffer length = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putInt(0, SOCKADDR);
        if (udp.c.getsockname(fd, sockaddr, length) < 0) {
            throw new IOException(udp.error("getsockname").getMessage());
        }
        return ((sockaddr.get(2) & 0xFF) << 8) | (sockaddr.get(3) & 0xFF);
    }

    @Override
    public void run() {
        byte[] query = new byte[SLOT];
        byte[] answer = new byte[SLOT];
        try {
            while (running) {
                int received = receive();
                if (received > 0) {
                    answer(received, query, answer);
                }
            }
        } finally {
            closeQuietly();
        }
    }

    /** Waits for at least one datagram; returns how many arrived, 0 after an interruption or error. */
    private int receive() {
        for (int i = 0; i < BATCH; i++) {
            meta.putInt(recvHeaders + i * MMSGHDR + MSG_NAMELEN, SOCKADDR);
        }
        int n = udp.c.recvmmsg(fd, recvVector, BATCH, LinuxUdp.MSG_WAITFORONE, null);
        if (n < 0) {
            int errno = udp.runtime.getLastError();
            if (errno == LinuxUdp.EBADF) {
                running = false;
            } else if (errno != LinuxUdp.EINTR && running) {
                LOG.warnf("UDP loop error, going on: recvmmsg errno %d (%s)", errno, udp.c.strerror(errno));
            }
            return 0;
        }
        // once stop() shut the socket down, recvmmsg returns at once, with empty "datagrams" from nowhere
        return running ? n : 0;
    }

    /** Answers each received query; those answered at once go back together, in one sendmmsg. */
    private void answer(int received, byte[] query, byte[] answer) {
        int toSend = 0;
        for (int i = 0; i < received; i++) {
            InetSocketAddress source = null;
            int length = meta.getInt(recvHeaders + i * MMSGHDR + MSG_LEN);
            int slot = i * SLOT;
            if (meta.getInt(recvHeaders + i * MMSGHDR + MSG_NAMELEN) == 0) {
                continue; // no datagram: the socket was shut down while receiving
            }
            try {
                source = source(i);
                data.get(slot, query, 0, length);
                int answered = handler.answerAtOnce(query, length, source, Transport.UDP, answer);
                if (answered >= 0) {
                    data.put(slot, answer, 0, answered);
                    int header = sendHeaders + toSend * MMSGHDR;
                    meta.putLong(header + MSG_NAME, meta.getLong(recvHeaders + i * MMSGHDR + MSG_NAME));
                    meta.putInt(header + MSG_NAMELEN, meta.getInt(recvHeaders + i * MMSGHDR + MSG_NAMELEN));
                    meta.putLong(sendIovecs + toSend * IOVEC, dataAddress + slot)
                            .putLong(sendIovecs + toSend * IOVEC + 8, answered);
                    toSend++;
                } else {
                    handle(Arrays.copyOf(query, length), source);
                }
            } catch (RuntimeException e) {
                // as in UdpLoop: this query is lost, the others of the batch are not
                LOG.warnf(e, "UDP loop error on a query from %s, going on", source);
            }
        }
        send(toSend);
    }

    private void send(int count) {
        int sent = 0;
        while (sent < count) {
            int n = udp.c.sendmmsg(fd, Pointer.wrap(udp.runtime, sendVectorAddress + (long) sent * MMSGHDR),
                    count - sent, 0);
            if (n > 0) {
                sent += n;
                continue;
            }
            int errno = udp.runtime.getLastError();
            if (n < 0 && errno == LinuxUdp.EINTR) {
                continue;
            }
            if (n < 0 && errno == LinuxUdp.EBADF) {
                return;
            }
            // the first unsent answer failed (e.g. a source the kernel will not send to): skip it alone
            if (running) {
                LOG.debugf("answer not sent: sendmmsg errno %d (%s)", errno, udp.c.strerror(errno));
            }
            sent++;
        }
    }

    /** The address datagram {@code i} came from. */
    private InetSocketAddress source(int i) {
        int at = names + i * SOCKADDR;
        int family = meta.getShort(at);
        int port = ((meta.get(at + 2) & 0xFF) << 8) | (meta.get(at + 3) & 0xFF);
        if (family == AF_INET) {
            long key = meta.getLong(at);
            int index = (int) ((key ^ (key >>> 29)) * 0x9E3779B97F4A7C15L >>> 58) & (CACHED_SOURCES - 1);
            InetSocketAddress cached = sources[index];
            if (cached != null && sourceKeys[index] == key) {
                return cached;
            }
            byte[] ip = new byte[4];
            meta.get(at + 4, ip);
            InetSocketAddress fresh = new InetSocketAddress(address(ip, 0), port);
            sourceKeys[index] = key;
            sources[index] = fresh;
            return fresh;
        }
        if (family == AF_INET6) {
            byte[] ip = new byte[16];
            meta.get(at + 8, ip);
            return new InetSocketAddress(address(ip, meta.getInt(at + 24)), port);
        }
        throw new IllegalStateException("datagram from address family " + family);
    }

    private static InetAddress address(byte[] ip, int scope) {
        try {
            return ip.length == 16 && scope != 0 ? Inet6Address.getByAddress(null, ip, scope)
                    : InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length
        }
    }

    private void handle(byte[] query, InetSocketAddress source) {
        UdpListener.handleLater(handler, query, source, answer -> sendOne(answer, source));
    }

    /** Thread-safe: forwarded answers are sent from the forwarder's threads. A full socket buffer drops the answer. */
    private void sendOne(byte[] answer, InetSocketAddress target) {
        ByteBuffer sockaddr = ByteBuffer.allocate(SOCKADDR).order(ByteOrder.nativeOrder());
        int length = writeSockaddr(sockaddr, target, ipv6);
        synchronized (fdLock) {
            if (closed) {
                return;
            }
            if (udp.c.sendto(fd, answer, answer.length, LinuxUdp.MSG_DONTWAIT, sockaddr.array(), length) < 0) {
                int errno = udp.runtime.getLastError();
                LOG.debugf("answer to %s not sent: errno %d (%s)", target, errno, udp.c.strerror(errno));
            }
        }
    }

    /** Wakes the thread blocked in recvmmsg (shutdown makes it return 0); the thread then closes the socket. */
    @Override
    public void stop() {
        running = false;
        synchronized (fdLock) {
            if (!closed) {
                udp.c.shutdown(fd, LinuxUdp.SHUT_RDWR);
            }
        }
    }

    @Override
    public void closeQuietly() {
        synchronized (fdLock) {
            if (!closed) {
                closed = true;
                udp.c.close(fd);
            }
        }
    }
}
