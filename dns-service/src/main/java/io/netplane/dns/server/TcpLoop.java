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
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jboss.logging.Logger;

/**
 * DNS over TCP (RFC 7766): each message framed by a two-byte length, several queries per
 * connection, answers possibly out of order. One thread, non-blocking; answers produced on other
 * threads are queued and the selector woken.
 */
final class TcpLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(TcpLoop.class);
    private static final long IDLE_MILLIS = 30_000;
    private static final int MAX_CONNECTIONS = 512;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final QueryHandler handler;
    private final Queue<Connection> wantWrite = new ConcurrentLinkedQueue<>();
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
            key.attach(new Connection(key, ch, (InetSocketAddress) ch.getRemoteAddress()));
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

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            LOG.debug("closing TCP connection", e);
        }
    }

    void stop() {
        running = false;
        selector.wakeup();
    }

    /** One client connection: a growing read buffer for frames, a queue of framed answers. */
    private final class Connection {
        private final SelectionKey key;
        private final SocketChannel channel;
        private final InetSocketAddress source;
        private final Queue<ByteBuffer> out = new ArrayDeque<>();
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
            in.flip();
            while (in.remaining() >= 2) {
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
        }

        /** Called from any thread. */
        private void queue(byte[] answer) {
            ByteBuffer framed = ByteBuffer.allocate(2 + answer.length);
            framed.putShort((short) answer.length).put(answer).flip();
            synchronized (out) {
                out.add(framed);
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
            synchronized (out) {
                while (!out.isEmpty()) {
                    ByteBuffer head = out.peek();
                    channel.write(head);
                    if (head.hasRemaining()) {
                        return;
                    }
                    out.poll();
                }
            }
            lastActive = System.currentTimeMillis();
            key.interestOps(SelectionKey.OP_READ);
        }
    }
}
