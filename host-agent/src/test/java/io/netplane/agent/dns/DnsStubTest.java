package io.netplane.agent.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.agent.netlink.RtNetlink;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.support.Namespaces;
import io.netplane.agent.support.Shell;
import io.netplane.events.DnsIdentity;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The stub inside a sandbox the test makes, queried with dig from inside it; the upstream is a
 * small stand-in for dns-service in the test's own namespace that answers only when the
 * query proves the asking container (signed with the shared key), never answers the flooder,
 * and adds its OPT record to answers of queries with one, as dns-service does.
 */
class DnsStubTest {

    private static final DnsIdentity KEY =
            DnsIdentity.fromBase64(Base64.getEncoder().encodeToString("a test key of thirty-two bytes!!".getBytes()));
    private static final String FLOODER = "flooder";

    private NamespaceManager manager;
    private Namespaces namespaces;
    private DnsStubs stubs;
    private DatagramSocket upstreamUdp;
    private ServerSocket upstreamTcp;
    private final CopyOnWriteArrayList<String> identities = new CopyOnWriteArrayList<>();

    /** UDP and TCP on the same free port, as a DNS server listens; another process may hold the TCP one. */
    private void bindUpstreamOnOnePort() throws java.io.IOException {
        for (int attempt = 0; ; attempt++) {
            upstreamUdp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                upstreamTcp = new ServerSocket(upstreamUdp.getLocalPort(), 8, InetAddress.getLoopbackAddress());
                return;
            } catch (java.net.BindException taken) {
                upstreamUdp.close();
                if (attempt == 20) {
                    throw taken;
                }
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        Namespaces.requireRoot();
        manager = new NamespaceManager();
        namespaces = new Namespaces(manager);
        bindUpstreamOnOnePort();
        Thread udp = new Thread(this::serveUdp);
        udp.setDaemon(true);
        udp.start();
        Thread tcp = new Thread(this::serveTcp);
        tcp.setDaemon(true);
        tcp.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (stubs != null) {
            stubs.close();
        }
        if (upstreamUdp != null) {
            upstreamUdp.close();
            upstreamTcp.close();
        }
        if (namespaces != null) {
            namespaces.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    /** The stand-in's answer, or null for none. */
    private byte[] answer(byte[] query) throws Exception {
        Message q = new Message(query);
        String asker = null;
        OPTRecord opt = q.getOPT();
        if (opt != null) {
            for (EDNSOption o : opt.getOptions(DnsIdentity.OPTION_CODE)) {
                byte[] wire = o.toWire();
                asker = KEY.verify(wire, 4, wire.length - 4, q.getHeader().getID(), Instant.now().getEpochSecond());
            }
        }
        if (FLOODER.equals(asker)) {
            return null;
        }
        identities.add(String.valueOf(asker));
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.addRecord(q.getQuestion(), Section.QUESTION);
        if ("container-1".equals(asker)) {
            r.addRecord(new ARecord(q.getQuestion().getName(), 1, 600, InetAddress.getByName("10.0.0.5")),
                    Section.ANSWER);
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
        while (!upstreamUdp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                upstreamUdp.receive(p);
                byte[] a = answer(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                if (a != null) {
                    upstreamUdp.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
                }
            } catch (Exception e) {
                return;
            }
        }
    }

    private void serveTcp() {
        while (!upstreamTcp.isClosed()) {
            try (Socket s = upstreamTcp.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] a = answer(in.readNBytes(in.readUnsignedShort()));
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeShort(a.length);
                out.write(a);
            } catch (Exception e) {
                return;
            }
        }
    }

    /** A new namespace with its loopback up, as a sandbox has. */
    private String sandbox(String role) {
        String sb = namespaces.create(role);
        try (RtNetlink nl = manager.rtnetlink(NamespaceManager.pathOf(sb))) {
            nl.setUp(nl.require("lo").index(), true);
        }
        return sb;
    }

    private DnsServiceLink upstream(int port) {
        return new DnsServiceLink(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), KEY);
    }

    private static String dig(String sandbox, String... options) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", sandbox, "dig", "+tries=1", "+time=5"));
        command.addAll(List.of(options));
        command.addAll(List.of("@127.0.0.11", "web"));
        return Shell.run(command.toArray(String[]::new)).out();
    }

    @Test
    void digInsideTheSandboxIsAnsweredWithTheContainersIdentityOverUdpAndTcp() {
        String sb = sandbox("dns");
        stubs = new DnsStubs(manager, upstream(upstreamUdp.getLocalPort()), 53);
        stubs.sync(Map.of("container-1", NamespaceManager.pathOf(sb)));
        assertThat(stubs.size()).isEqualTo(1);

        assertThat(Shell.must("ip", "netns", "exec", sb, "dig", "+short", "+tries=1", "+time=5", "@127.0.0.11", "web")
                .trim()).isEqualTo("10.0.0.5");
        assertThat(Shell.must("ip", "netns", "exec", sb, "dig", "+short", "+tcp", "+tries=1", "+time=5",
                "@127.0.0.11", "web").trim()).isEqualTo("10.0.0.5");
        assertThat(identities).containsOnly("container-1");
        // nothing listens on 127.0.0.11 in the test's own namespace
        assertThat(Shell.run("dig", "+short", "+tries=1", "+time=1", "@127.0.0.11", "web").out()).doesNotContain("10.0.0.5");

        stubs.sync(Map.of());
        assertThat(stubs.size()).isZero();
        assertThat(Shell.run("ip", "netns", "exec", sb, "dig", "+tries=1", "+time=1", "@127.0.0.11", "web").out())
                .doesNotContain("10.0.0.5");
    }

    @Test
    void aQueryWithoutEdnsGetsAnAnswerWithoutAnOptRecordAndOneWithEdnsNoIdentity() {
        String sb = sandbox("dnsnoedns");
        stubs = new DnsStubs(manager, upstream(upstreamUdp.getLocalPort()), 53);
        stubs.sync(Map.of("container-1", NamespaceManager.pathOf(sb)));

        for (String transport : List.of("+notcp", "+tcp")) {
            String plain = dig(sb, transport, "+noedns");
            assertThat(plain).as(transport).contains("status: NOERROR").contains("10.0.0.5")
                    .doesNotContain("OPT PSEUDOSECTION");
            String edns = dig(sb, transport);
            assertThat(edns).as(transport).contains("status: NOERROR").contains("OPT PSEUDOSECTION")
                    .doesNotContain(Integer.toString(DnsIdentity.OPTION_CODE));
        }
        assertThat(identities).containsOnly("container-1");
    }

    @Test
    void aSandboxFloodingItsResolverLeavesTheStubAnsweringAnother() throws Exception {
        String calm = sandbox("dnscalm");
        String flood = sandbox("dnsflood");
        stubs = new DnsStubs(manager, upstream(upstreamUdp.getLocalPort()), 53);
        stubs.sync(Map.of("container-1", NamespaceManager.pathOf(calm), FLOODER, NamespaceManager.pathOf(flood)));
        byte[] query = Message.newQuery(Record.newRecord(Name.fromString("web."), Type.A, DClass.IN)).toWire();
        DatagramSocket flooder = manager.inNamespace(NamespaceManager.pathOf(flood), DatagramSocket::new);
        InetSocketAddress stub = new InetSocketAddress(DnsStub.ADDRESS, 53);
        for (int i = 0; i < 5_000; i++) {
            flooder.send(new DatagramPacket(query, query.length, stub));
        }
        AtomicBoolean flooding = new AtomicBoolean(true);
        Thread floodThread = new Thread(() -> {
            while (flooding.get()) {
                try {
                    flooder.send(new DatagramPacket(query, query.length, stub));
                } catch (IOException e) {
                    return;
                }
            }
        }, "flooding-container");
        floodThread.start();
        try {
            assertThat(Shell.must("ip", "netns", "exec", calm, "dig", "+short", "+tries=1", "+time=5", "@127.0.0.11",
                    "web").trim()).isEqualTo("10.0.0.5");
            long forwarding = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("dns-forward")).count();
            assertThat(forwarding).as("forwarding threads").isLessThanOrEqualTo(DnsStubs.WORKERS);
        } finally {
            flooding.set(false);
            floodThread.join();
            flooder.close();
        }
    }

    @Test
    void upstreamDownGivesServfail() {
        String sb = sandbox("dnsdown");
        int port = upstreamUdp.getLocalPort();
        upstreamUdp.close();
        stubs = new DnsStubs(manager, upstream(port), 53);
        stubs.sync(Map.of("container-1", NamespaceManager.pathOf(sb)));
        assertThat(Shell.run("ip", "netns", "exec", sb, "dig", "+tries=1", "+time=8", "@127.0.0.11", "web").out())
                .contains("status: SERVFAIL");
    }
}
