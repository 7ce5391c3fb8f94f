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
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import org.jboss.logging.Logger;

/**
 * The resolver a sandbox sees at 127.0.0.11:53 (UDP and TCP). Its listening sockets are opened
 * inside the sandbox's namespace (on the namespace switcher thread); everything else runs on
 * threads of the agent's own namespace, so queries are forwarded to dns-service from there,
 * each carrying the asking container's id as an EDNS0 option.
 */
public final class DnsStub implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DnsStub.class);
    public static final String ADDRESS = "127.0.0.11";
    private static final int TIMEOUT_MS = 4000;

    private final String containerId;
    private final InetSocketAddress upstream;
    private final ExecutorService workers;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private volatile boolean open = true;

    public DnsStub(NamespaceManager namespaces, Path sandbox, String containerId, InetSocketAddress upstream,
            ExecutorService workers, int port) {
        this.containerId = containerId;
        this.upstream = upstream;
        this.workers = workers;
        InetSocketAddress listen = new InetSocketAddress(loopback(), port);
        this.udp = namespaces.inNamespace(sandbox, () -> new DatagramSocket(listen));
        try {
            this.tcp = namespaces.inNamespace(sandbox, () -> {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(listen, 64);
                return s;
            });
        } catch (RuntimeException e) {
            udp.close();
            throw e;
        }
        start("dns-udp-" + containerId, this::serveUdp);
        start("dns-tcp-" + containerId, this::serveTcp);
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
        byte[] buf = new byte[65535];
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
            byte[] query = java.util.Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
            var client = p.getSocketAddress();
            workers.execute(() -> {
                byte[] answer = forwardUdp(query);
                if (answer != null) {
                    try {
                        udp.send(new DatagramPacket(answer, answer.length, client));
                    } catch (IOException e) {
                        LOG.debugf("udp reply: %s", e.getMessage());
                    }
                }
            });
        }
    }

    private byte[] forwardUdp(byte[] query) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(TIMEOUT_MS);
            byte[] out = IdentityQuery.withIdentity(query, containerId);
            s.send(new DatagramPacket(out, out.length, upstream));
            byte[] buf = new byte[65535];
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            s.receive(reply);
            return java.util.Arrays.copyOf(reply.getData(), reply.getLength());
        } catch (IOException e) {
            LOG.debugf("forward to %s: %s", upstream, e.getMessage());
            return IdentityQuery.servfail(query);
        }
    }

    private void serveTcp() {
        while (open) {
            try {
                Socket client = tcp.accept();
                workers.execute(() -> serveTcpClient(client));
            } catch (IOException e) {
                if (open) {
                    LOG.debugf("tcp accept: %s", e.getMessage());
                }
            }
        }
    }

    private void serveTcpClient(Socket client) {
        try (client) {
            client.setSoTimeout(TIMEOUT_MS * 2);
            DataInputStream in = new DataInputStream(client.getInputStream());
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            while (true) {
                int len;
                try {
                    len = in.readUnsignedShort();
                } catch (IOException eof) {
                    return;
                }
                byte[] query = in.readNBytes(len);
                byte[] answer = forwardTcp(query);
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

    private byte[] forwardTcp(byte[] query) {
        try (Socket s = new Socket()) {
            s.connect(upstream, TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            byte[] q = IdentityQuery.withIdentity(query, containerId);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(q.length);
            out.write(q);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            return in.readNBytes(in.readUnsignedShort());
        } catch (IOException e) {
            LOG.debugf("forward over tcp to %s: %s", upstream, e.getMessage());
            return IdentityQuery.servfail(query);
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
    }
}
