package io.netplane.dns.support;

import io.netplane.events.DnsIdentity;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A tiny upstream DNS server on loopback for tests, UDP and TCP on one port. Answering, it knows
 * one name ({@link #OUTSIDE_NAME} -> {@link #OUTSIDE_ADDRESS}) and says NXDOMAIN to everything
 * else; silent, it reads queries and never answers. It notes whether any query carried the
 * netplane identity option, which must never leave dns-service.
 */
public final class FakeUpstream implements AutoCloseable {

    public static final String OUTSIDE_NAME = "outside.example.test.";
    public static final String OUTSIDE_ADDRESS = "192.0.2.10";

    /** One clock for all fake upstreams, so a test can tell which of two was asked first. */
    private static final AtomicLong CLOCK = new AtomicLong();

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final boolean silent;
    private final boolean failing;
    private final AtomicInteger queries = new AtomicInteger();
    private final AtomicLong firstQuery = new AtomicLong();
    private final AtomicBoolean sawIdentity = new AtomicBoolean();
    private volatile boolean running = true;

    private FakeUpstream(boolean silent, boolean failing) throws IOException {
        this.silent = silent;
        this.failing = failing;
        DatagramSocket boundUdp = null;
        ServerSocket boundTcp = null;
        for (int attempt = 0; boundTcp == null; attempt++) {
            boundUdp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                boundTcp = new ServerSocket(boundUdp.getLocalPort(), 50, InetAddress.getLoopbackAddress());
            } catch (java.net.BindException e) {
                boundUdp.close(); // the TCP side of the port UDP got is taken: try another port
                if (attempt == 20) {
                    throw e;
                }
            }
        }
        this.udp = boundUdp;
        this.tcp = boundTcp;
        daemon(this::serveUdp, "fake-upstream-udp");
        daemon(this::serveTcp, "fake-upstream-tcp");
    }

    public static FakeUpstream answering() throws IOException {
        return new FakeUpstream(false, false);
    }

    /** Answers every query with SERVFAIL. */
    public static FakeUpstream failing() throws IOException {
        return new FakeUpstream(false, true);
    }

    public static FakeUpstream silent() throws IOException {
        return new FakeUpstream(true, false);
    }

    public String address() {
        return "127.0.0.1:" + udp.getLocalPort();
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort());
    }

    public int queries() {
        return queries.get();
    }

    /** When this upstream got its first query, on the clock shared by all of them; 0 if never asked. */
    public long firstQuery() {
        return firstQuery.get();
    }

    public boolean sawIdentityOption() {
        return sawIdentity.get();
    }

    private void serveUdp() {
        byte[] buf = new byte[65_535];
        while (running) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                byte[] answer = answer(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                if (answer != null) {
                    udp.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void serveTcp() {
        while (running) {
            try {
                Socket s = tcp.accept();
                daemon(() -> serveConnection(s), "fake-upstream-conn");
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void serveConnection(Socket s) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            while (running) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                byte[] answer = answer(query);
                if (answer != null) {
                    out.writeShort(answer.length);
                    out.write(answer);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // client went away
        }
    }

    private byte[] answer(byte[] wire) {
        queries.incrementAndGet();
        firstQuery.compareAndSet(0, CLOCK.incrementAndGet());
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            return null;
        }
        if (query.getOPT() != null && !query.getOPT().getOptions(DnsIdentity.OPTION_CODE).isEmpty()) {
            sawIdentity.set(true);
        }
        if (silent) {
            return null;
        }
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.RA);
        reply.addRecord(query.getQuestion(), Section.QUESTION);
        Name name = query.getQuestion().getName();
        if (failing) {
            reply.getHeader().setRcode(Rcode.SERVFAIL);
        } else if (name.equals(Name.fromConstantString(OUTSIDE_NAME))) {
            if (query.getQuestion().getType() == Type.A) {
                try {
                    reply.addRecord(new ARecord(name, DClass.IN, 300, InetAddress.getByName(OUTSIDE_ADDRESS)),
                            Section.ANSWER);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        } else {
            reply.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        return reply.toWire();
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        running = false;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
