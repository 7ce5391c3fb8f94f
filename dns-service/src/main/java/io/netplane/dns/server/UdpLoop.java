package io.netplane.dns.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import org.jboss.logging.Logger;

/**
 * One non-blocking UDP socket and the thread that serves it. Several loops share a port through
 * SO_REUSEPORT so the kernel spreads clients over them.
 */
final class UdpLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(UdpLoop.class);
    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramChannel channel;
    private final Selector selector;
    private final QueryHandler handler;
    private volatile boolean running = true;

    UdpLoop(DatagramChannel channel, QueryHandler handler) throws IOException {
        this.channel = channel;
        this.handler = handler;
        this.selector = Selector.open();
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
    }

    @Override
    public void run() {
        ByteBuffer in = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        while (running) {
            try {
                selector.select();
                selector.selectedKeys().clear();
                SocketAddress from;
                while (running && (from = receive(in)) != null) {
                    byte[] query = new byte[in.remaining()];
                    in.get(query);
                    InetSocketAddress source = (InetSocketAddress) from;
                    handle(query, source);
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

    private SocketAddress receive(ByteBuffer in) throws IOException {
        in.clear();
        SocketAddress from = channel.receive(in);
        in.flip();
        return from;
    }

    private void handle(byte[] query, InetSocketAddress source) {
        try {
            handler.handle(query, source, Transport.UDP, answer -> send(answer, source));
        } catch (RuntimeException e) {
            LOG.debugf(e, "query from %s dropped: %s", source, Arrays.toString(Arrays.copyOf(query, 12)));
        }
    }

    /** Thread-safe: forwarded answers are sent from the forwarder's threads. A full socket buffer drops the answer. */
    private void send(byte[] answer, InetSocketAddress target) {
        try {
            channel.send(ByteBuffer.wrap(answer), target);
        } catch (IOException e) {
            LOG.debugf("answer to %s not sent: %s", target, e.getMessage());
        }
    }

    void stop() {
        running = false;
        selector.wakeup();
    }

    void closeQuietly() {
        try {
            selector.close();
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing UDP loop", e);
        }
    }
}
