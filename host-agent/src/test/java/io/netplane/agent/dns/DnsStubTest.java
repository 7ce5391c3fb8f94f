package io.netplane.agent.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.agent.netlink.RtNetlink;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.support.Namespaces;
import io.netplane.agent.support.Shell;
import io.netplane.events.DnsIdentity;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The stub inside a sandbox the test makes, queried with dig from inside it; the upstream is a
 * {@link DnsServiceStandIn} that answers only when the query proves the asking container and
 * never answers the flooder.
 */
class DnsStubTest {

    private static final String FLOODER = "flooder";

    private NamespaceManager manager;
    private Namespaces namespaces;
    private DnsStubs stubs;
    private DnsServiceStandIn upstream;

    @BeforeEach
    void start() throws Exception {
        Namespaces.requireRoot();
        manager = new NamespaceManager();
        namespaces = new Namespaces(manager);
        upstream = new DnsServiceStandIn(Map.of("container-1", "10.0.0.5"), Set.of(FLOODER));
    }

    @AfterEach
    void stop() throws Exception {
        if (stubs != null) {
            stubs.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (namespaces != null) {
            namespaces.close();
        }
        if (manager != null) {
            manager.close();
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
        return new DnsServiceLink(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), DnsServiceStandIn.KEY);
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
        stubs = new DnsStubs(manager, upstream.link(), 53);
        stubs.sync(Map.of("container-1", NamespaceManager.pathOf(sb)));
        assertThat(stubs.size()).isEqualTo(1);

        assertThat(Shell.must("ip", "netns", "exec", sb, "dig", "+short", "+tries=1", "+time=5", "@127.0.0.11", "web")
                .trim()).isEqualTo("10.0.0.5");
        assertThat(Shell.must("ip", "netns", "exec", sb, "dig", "+short", "+tcp", "+tries=1", "+time=5",
                "@127.0.0.11", "web").trim()).isEqualTo("10.0.0.5");
        assertThat(upstream.identities()).containsOnly("container-1");
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
        stubs = new DnsStubs(manager, upstream.link(), 53);
        stubs.sync(Map.of("container-1", NamespaceManager.pathOf(sb)));

        for (String transport : List.of("+notcp", "+tcp")) {
            String plain = dig(sb, transport, "+noedns");
            assertThat(plain).as(transport).contains("status: NOERROR").contains("10.0.0.5")
                    .doesNotContain("OPT PSEUDOSECTION");
            String edns = dig(sb, transport);
            assertThat(edns).as(transport).contains("status: NOERROR").contains("OPT PSEUDOSECTION")
                    .doesNotContain(Integer.toString(DnsIdentity.OPTION_CODE));
        }
        assertThat(upstream.identities()).containsOnly("container-1");
    }

    @Test
    void aSandboxFloodingItsResolverLeavesTheStubAnsweringAnother() throws Exception {
        String calm = sandbox("dnscalm");
        String flood = sandbox("dnsflood");
        stubs = new DnsStubs(manager, upstream.link(), 53);
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
    void upstreamDownGivesServfail() throws IOException {
        String sb = sandbox("dnsdown");
        int port = upstream.port();
        upstream.close();
        stubs = new DnsStubs(manager, upstream(port), 53);
        stubs.sync(Map.of("container-1", NamespaceManager.pathOf(sb)));
        assertThat(Shell.run("ip", "netns", "exec", sb, "dig", "+tries=1", "+time=8", "@127.0.0.11", "web").out())
                .contains("status: SERVFAIL");
    }
}
