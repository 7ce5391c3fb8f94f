package io.netplane.agent.proxy;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.events.model.PortBinding;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * One port's proxy from {@code [::]} to a container. Every socket is made in the host's
 * namespace (a socket stays in the namespace it was made in), so both legs run there.
 */
abstract class PortProxy implements Closeable {

    /** Connections (tcp) or clients (udp) relayed at once per port, so one port cannot take every thread. */
    static final int MAX_FLOWS = 128;

    final NamespaceManager namespaces;
    final Path hostNetns;
    final PortBinding port;
    final InetSocketAddress listen;
    final InetSocketAddress target;

    PortProxy(NamespaceManager namespaces, Path hostNetns, PortBinding port) {
        this.namespaces = namespaces;
        this.hostNetns = hostNetns;
        this.port = port;
        try {
            this.listen = new InetSocketAddress(InetAddress.getByName("::"), port.hostPort());
            this.target = new InetSocketAddress(InetAddress.getByName(port.containerIp()), port.containerPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A socket made in the host's namespace. */
    <T> T inHost(Callable<T> make) {
        return namespaces.inNamespace(hostNetns, make);
    }

    /** A channel made in the host's namespace and bound to {@code [::]:hostPort}, or closed again. */
    <C extends NetworkChannel> C listening(Callable<C> open) {
        return inHost(() -> {
            C channel = open.call();
            try {
                channel.bind(listen);
            } catch (IOException e) {
                quietly(channel);
                throw e;
            }
            return channel;
        });
    }

    Thread daemon(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void quietly(Closeable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException e) {
            // closing what is already broken
        }
    }

    @Override
    public abstract void close();
}
