package io.netplane.agent.dns;

import io.netplane.events.DnsIdentity;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * A small stand-in for dns-service on loopback of the test's own namespace, UDP and TCP on one
 * port: it answers a query only as the asker its identity option proves (signed with the shared
 * key), as dns-service does: for a container, an A record with that container's address from
 * {@code answers}; for a host ({@link DnsIdentity#isHost}), what dns-service's upstreams would
 * say, with no container's name: {@link #OUTSIDE_ADDRESS} for {@link #OUTSIDE_NAME}, NXDOMAIN for
 * any other name; REFUSED for any other asker (and for a query proving nobody); nothing at all
 * for the {@code silent} ones; and it adds its own OPT record to answers of queries with one.
 * It records who each query proved ("null" for nobody).
 */
final class DnsServiceStandIn implements AutoCloseable {

    static final DnsIdentity KEY =
            DnsIdentity.fromBase64(java.util.Base64.getEncoder().encodeToString("a test key of thirty-two bytes!!".getBytes()));

    /** The one name outside netplane the stand-in's "upstream" knows, and its address. */
    static final String OUTSIDE_NAME = "outside.example.test.";
    static final String OUTSIDE_ADDRESS = "192.0.2.10";

    private final Map<String, String> answers;
    private final Set<String> silent;
    private final List<String> identities = new CopyOnWriteArrayList<>();
    private DatagramSocket udp;
    private ServerSocket tcp;

    DnsServiceStandIn(Map<String, String> answers, Set<String> silent) throws IOException {
        this.answers = answers;
        this.silent = silent;
        bindOnOnePort();
        start(this::serveUdp, "stand-in-udp");
        start(this::serveTcp, "stand-in-tcp");
    }

    /** UDP and TCP on the same free port, as a DNS server listens; another process may hold the TCP one. */
    private void bindOnOnePort() throws IOException {
        for (int attempt = 0; ; attempt++) {
            udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                tcp = new ServerSocket(udp.getLocalPort(), 8, InetAddress.getLoopbackAddress());
                return;
            } catch (BindException taken) {
                udp.close();
                if (attempt == 20) {
                    throw taken;
                }
            }
        }
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return udp.getLocalPort();
    }

    /** How the stubs reach it. */
    DnsServiceLink link() {
        return new DnsServiceLink(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), KEY);
    }

    /** The containers the queries it received proved, in order ("null": none). */
    List<String> identities() {
        return identities;
    }

    /** The answer, or null for none. */
    private byte[] answer(byte[] query) throws IOException {
        Message q = new Message(query);
        String asker = null;
        OPTRecord opt = q.getOPT();
        if (opt != null) {
            for (EDNSOption o : opt.getOptions(DnsIdentity.OPTION_CODE)) {
                byte[] wire = o.toWire();
                asker = KEY.verify(wire, 4, wire.length - 4, q.getHeader().getID(), Instant.now().getEpochSecond());
            }
        }
        if (silent.contains(asker)) {
            return null;
        }
        identities.add(String.valueOf(asker));
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.addRecord(q.getQuestion(), Section.QUESTION);
        Name name = q.getQuestion().getName();
        String address = asker == null ? null : answers.get(asker);
        if (address != null) {
            r.addRecord(new ARecord(name, 1, 600, InetAddress.getByName(address)), Section.ANSWER);
        } else if (DnsIdentity.isHost(asker) && name.equals(Name.fromConstantString(OUTSIDE_NAME))) {
            r.addRecord(new ARecord(name, 1, 600, InetAddress.getByName(OUTSIDE_ADDRESS)), Section.ANSWER);
        } else if (DnsIdentity.isHost(asker)) {
            r.getHeader().setRcode(Rcode.NXDOMAIN);
        } else {
            r.getHeader().setRcode(Rcode.REFUSED);
        }
        if (opt != null) {
            r.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        }
        return r.toWire();
    }

    private void serveUdp() {
        byte[] buf = new byte[4096];
        while (!udp.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (IOException closed) {
                return;
            }
            try {
                byte[] a = answer(Arrays.copyOf(p.getData(), p.getLength()));
                if (a != null) {
                    udp.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                // not a query: no answer, as a server drops what it cannot read
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            Socket client;
            try {
                client = tcp.accept();
            } catch (IOException closed) {
                return;
            }
            try (Socket s = client) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] a = answer(in.readNBytes(in.readUnsignedShort()));
                if (a != null) {
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeShort(a.length);
                    out.write(a);
                }
            } catch (IOException e) {
                // this client only
            }
        }
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }
}
