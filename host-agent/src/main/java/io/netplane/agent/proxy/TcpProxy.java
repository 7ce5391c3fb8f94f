package io.netplane.agent.proxy;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.events.model.PortBinding;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/** A tcp port on {@code [::]}: each connection is relayed to the container, both directions, until both end. */
final class TcpProxy extends PortProxy {

    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final ServerSocketChannel server;
    private final Semaphore flows = new Semaphore(MAX_FLOWS);

    TcpProxy(NamespaceManager namespaces, Path hostNetns, PortBinding port) {
        super(namespaces, hostNetns, port);
        this.server = listening(() -> ServerSocketChannel.open(StandardProtocolFamily.INET6));
        daemon("ipv6-proxy-tcp-" + port.hostPort(), this::accept);
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (!flows.tryAcquire()) {
                quietly(client);
                continue;
            }
            daemon("ipv6-proxy-tcp-" + port.hostPort() + "-flow", () -> relay(client));
        }
    }

    private void relay(SocketChannel client) {
        SocketChannel upstream = null;
        try {
            upstream = inHost(SocketChannel::open);
            upstream.socket().connect(target, CONNECT_TIMEOUT_MS);
            SocketChannel up = upstream;
            Thread back = daemon("ipv6-proxy-tcp-" + port.hostPort() + "-back", () -> pump(up, client));
            pump(client, upstream);
            back.join();
        } catch (IOException | RuntimeException e) {
            // the container refused or went away: the client sees its connection end, as with docker-proxy
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            quietly(client);
            quietly(upstream);
            flows.release();
        }
    }

    /** Copies until {@code from} ends, then ends the write side of {@code to}. */
    private static void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    to.write(buf);
                }
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            quietly(from);
            quietly(to);
        }
    }

    @Override
    public void close() {
        quietly(server);
    }
}
