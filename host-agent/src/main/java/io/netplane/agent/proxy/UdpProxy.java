package io.netplane.agent.proxy;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.events.model.PortBinding;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A udp port on {@code [::]}: each client gets its own socket towards the container, whose
 * replies go back to that client; a client silent for {@link #IDLE_MS} is forgotten (docker-proxy
 * keeps a flow 90 s).
 */
final class UdpProxy extends PortProxy {

    private static final int IDLE_MS = 90_000;
    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramChannel server;
    private final Map<SocketAddress, DatagramChannel> clients = new ConcurrentHashMap<>();

    UdpProxy(NamespaceManager namespaces, Path hostNetns, PortBinding port) {
        super(namespaces, hostNetns, port);
        this.server = listening(() -> DatagramChannel.open(StandardProtocolFamily.INET6));
        daemon("ipv6-proxy-udp-" + port.hostPort(), this::receive);
    }

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
        while (server.isOpen()) {
            try {
                buf.clear();
                SocketAddress client = server.receive(buf);
                buf.flip();
                DatagramChannel upstream = clients.get(client);
                if (upstream == null) {
                    if (clients.size() >= MAX_FLOWS) {
                        continue; // dropped, as a full conntrack table drops
                    }
                    upstream = inHost(DatagramChannel::open);
                    upstream.connect(target);
                    upstream.socket().setSoTimeout(IDLE_MS);
                    clients.put(client, upstream);
                    DatagramChannel flow = upstream;
                    daemon("ipv6-proxy-udp-" + port.hostPort() + "-flow", () -> replies(client, flow));
                }
                upstream.write(buf);
            } catch (IOException | RuntimeException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    private void replies(SocketAddress client, DatagramChannel upstream) {
        byte[] bytes = new byte[MAX_DATAGRAM];
        java.net.DatagramPacket p = new java.net.DatagramPacket(bytes, bytes.length);
        try {
            while (server.isOpen()) {
                upstream.socket().receive(p);
                server.send(ByteBuffer.wrap(bytes, 0, p.getLength()), client);
            }
        } catch (SocketTimeoutException e) {
            // idle: forget the client
        } catch (IOException e) {
            // the container's side is gone
        } finally {
            clients.remove(client, upstream);
            quietly(upstream);
        }
    }

    @Override
    public void close() {
        quietly(server);
        clients.values().forEach(PortProxy::quietly);
        clients.clear();
    }
}
