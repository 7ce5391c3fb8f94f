package io.netplane.dns.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import org.jboss.logging.Logger;

/**
 * One UDP socket and the thread that serves it. Several loops share a port through SO_REUSEPORT
 * so the kernel spreads clients over them. The socket is blocking: one {@code recvfrom} and one
 * {@code sendto} per query, where a selector would add an {@code epoll_wait} and a failed
 * {@code recvfrom} each time the socket runs dry. Common queries are answered at once from
 * buffers the loop owns; the rest go through {@link QueryHandler#handle} with their own copy.
 */
final class UdpLoop implements UdpListener {

    private static final Logger LOG = Logger.getLogger(UdpLoop.class);
    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramChannel channel;
    private final QueryHandler handler;
    private volatile boolean running = true;

    UdpLoop(DatagramChannel channel, QueryHandler handler) throws IOException {
        this.channel = channel;
        this.handler = handler;
        channel.configureBlocking(true);
    }

    @Override
    public void run() {
        ByteBuffer in = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        ByteBuffer out = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        byte[] query = new byte[MAX_DATAGRAM];
        byte[] answer = new byte[MAX_DATAGRAM];
        while (running) {
            try {
                in.clear();
                InetSocketAddress source = (InetSocketAddress) channel.receive(in);
                in.flip();
                int length = in.remaining();
                in.get(query, 0, length);
                int answered = handler.answerAtOnce(query, length, source, Transport.UDP, answer);
                if (answered >= 0) {
                    out.clear();
                    out.put(answer, 0, answered).flip();
                    channel.send(out, source);
                } else {
                    handle(Arrays.copyOf(query, length), source);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (running) {
                    LOG.warnf(e, "UDP loop error, going on");
                }
            }
        }
        closeQuietly();
    }

    private void handle(byte[] query, InetSocketAddress source) {
        UdpListener.handleLater(handler, query, source, answer -> send(answer, source));
    }

    /** Thread-safe: forwarded answers are sent from the forwarder's threads. A full socket buffer drops the answer. */
    private void send(byte[] answer, InetSocketAddress target) {
        try {
            channel.send(ByteBuffer.wrap(answer), target);
        } catch (IOException e) {
            LOG.debugf("answer to %s not sent: %s", target, e.getMessage());
        }
    }

    /** Closing the socket wakes the thread blocked in receive. */
    @Override
    public void stop() {
        running = false;
        closeQuietly();
    }

    @Override
    public void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing UDP loop", e);
        }
    }
}
