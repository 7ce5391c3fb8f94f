package io.netplane.dns.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jboss.logging.Logger;

/**
 * DNS over TCP (RFC 7766): each message framed by a two-byte length, several queries per
 * connection, answers possibly out of order. One thread, non-blocking; answers produced on other
 * threads are queued and the selector woken.
 */
final class TcpLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(TcpLoop.class);
    /** A connection with nothing read or written this long is closed (RFC 7766 §6.2.3 suggests seconds). */
    private static final long IDLE_MILLIS = 30_000;
    /** Open connections; beyond it new ones are closed at once (each holds up to ~130 KiB of buffers). */
    private static final int MAX_CONNECTIONS = 512;
    /**
     * Answers waiting to be written on one connection, in bytes, beyond which its queries wait
     * unread: a client that pipelines and never reads holds at most this (plus answers still being
     * worked out, bounded by the forwarder) instead of growing the heap. One maximal answer; real
     * clients pipeline a handful of small ones.
     */
    static final int MAX_UNSENT_BYTES = 64 * 1024;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final QueryHandler handler;
    private final Queue<Connection> wantWrite = new ConcurrentLinkedQueue<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    TcpLoop(ServerSocketChannel server, QueryHandler handler) throws IOException {
        this.server = server;
        this.handler = handler;
        this.selector = Selector.open();
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    @Override
    public void run() {
        while (running) {
            try {
                selector.select(IDLE_MILLIS / 3);
                for (Connection c; (c = wantWrite.poll()) != null; ) {
                    c.armWrite();
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    serve(key);
                }
                closeIdle();
            } catch (IOException | RuntimeException e) {
                if (running) {
                    LOG.warnf(e, "TCP loop error, going on");
                }
            }
        }
        closeQuietly();
    }

    void closeQuietly() {
        for (SelectionKey key : selector.keys()) {
            close(key);
        }
        try {
            server.close();
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing TCP listener", e);
        }
    }

    private void serve(SelectionKey key) {
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isAcceptable()) {
                accept();
                return;
            }
            Connection c = (Connection) key.attachment();
            if (key.isReadable()) {
                c.read();
            }
            if (key.isValid() && key.isWritable()) {
                c.write();
            }
        } catch (IOException | RuntimeException e) {
            close(key);
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            if (selector.keys().size() > MAX_CONNECTIONS) {
                ch.close();
                continue;
            }
            ch.configureBlocking(false);
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            Connection c = new Connection(key, ch, (InetSocketAddress) ch.getRemoteAddress());
            key.attach(c);
            connections.add(c);
        }
    }

    private void closeIdle() {
        long now = System.currentTimeMillis();
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Connection c && now - c.lastActive > IDLE_MILLIS) {
                close(key);
            }
        }
    }

    private void close(SelectionKey key) {
        if (key.attachment() instanceof Connection c) {
            connections.remove(c);
        }
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            LOG.debug("closing TCP connection", e);
        }
    }

    /** Connections whose queries wait unread because their answers backed up. */
    int heldBack() {
        return (int) connections.stream().filter(Connection::backedUp).count();
    }

    /** Bytes of answers waiting to be written, over all connections. */
    long unsentBytes() {
        return connections.stream().mapToLong(Connection::unsent).sum();
    }

    void stop() {
        running = false;
        selector.wakeup();
    }

    /**
     * One client connection: a growing read buffer for frames, a queue of framed answers. Once
     * {@link #MAX_UNSENT_BYTES} of answers wait to be written, the loop stops taking its queries
     * (and stops reading, so TCP flow control holds the client back) until they drain.
     */
    private final class Connection {
        private final SelectionKey key;
        private final SocketChannel channel;
        private final InetSocketAddress source;
        private final Queue<ByteBuffer> out = new ArrayDeque<>();
        private int unsent; // bytes in out, guarded by out
        private ByteBuffer in = ByteBuffer.allocate(2 + 512);
        private volatile long lastActive = System.currentTimeMillis();

        Connection(SelectionKey key, SocketChannel channel, InetSocketAddress source) {
            this.key = key;
            this.channel = channel;
            this.source = source;
        }

        void read() throws IOException {
            int n = channel.read(in);
            if (n < 0) {
                close(key);
                return;
            }
            lastActive = System.currentTimeMillis();
            takeQueries();
        }

        /** Hands the complete frames read so far to the handler, until answers back up. */
        private void takeQueries() {
            in.flip();
            while (in.remaining() >= 2 && !backedUp()) {
                int length = Short.toUnsignedInt(in.getShort(in.position()));
                if (in.remaining() < 2 + length) {
                    break;
                }
                in.position(in.position() + 2);
                byte[] query = new byte[length];
                in.get(query);
                handler.handle(query, source, Transport.TCP, this::queue);
            }
            in.compact();
            if (!in.hasRemaining() && in.capacity() < 2 + 65_535) {
                in = ByteBuffer.allocate(2 + 65_535).put(in.flip());
            }
            updateInterest();
        }

        private boolean backedUp() {
            return unsent() >= MAX_UNSENT_BYTES;
        }

        private int unsent() {
            synchronized (out) {
                return unsent;
            }
        }

        /** Read while answers do not back up; write while some wait. Loop thread only. */
        private void updateInterest() {
            if (!key.isValid()) {
                return;
            }
            int ops;
            synchronized (out) {
                ops = (unsent < MAX_UNSENT_BYTES ? SelectionKey.OP_READ : 0)
                        | (out.isEmpty() ? 0 : SelectionKey.OP_WRITE);
            }
            key.interestOps(ops);
        }

        /** Called from any thread. */
        private void queue(byte[] answer) {
            ByteBuffer framed = ByteBuffer.allocate(2 + answer.length);
            framed.putShort((short) answer.length).put(answer).flip();
            synchronized (out) {
                out.add(framed);
                unsent += framed.capacity();
            }
            wantWrite.add(this);
            selector.wakeup();
        }

        void armWrite() {
            if (key.isValid()) {
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            }
        }

        void write() throws IOException {
            long written = 0;
            synchronized (out) {
                while (!out.isEmpty()) {
                    ByteBuffer head = out.peek();
                    written += channel.write(head);
                    if (head.hasRemaining()) {
                        break;
                    }
                    out.poll();
                    unsent -= head.capacity();
                }
            }
            if (written > 0) {
                lastActive = System.currentTimeMillis();
            }
            takeQueries(); // frames held back while answers backed up, if they drained
        }
    }
}
