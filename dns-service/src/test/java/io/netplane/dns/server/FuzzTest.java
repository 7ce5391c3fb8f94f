package io.netplane.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.dns.forward.Forwarder;
import io.netplane.dns.resolve.QueryProcessor;
import io.netplane.dns.resolve.QueryMetrics;
import io.netplane.dns.support.Dig;
import io.netplane.dns.support.Events;
import io.netplane.dns.support.Events.Endpoint;
import io.netplane.dns.support.FakeUpstream;
import io.netplane.dns.support.TestIdentity;
import io.netplane.dns.support.UdpBatchSwitch;
import io.netplane.dns.view.View;
import io.netplane.dns.view.ViewState;
import io.netplane.events.NetworkCreated;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * More than 100,000 malformed or hostile messages over real UDP and TCP sockets; the server must
 * keep answering real queries correctly in between and after.
 */
class FuzzTest {

    private static final int UDP_PACKETS = 104_000;
    private static final int TCP_FRAMES = 6_000;

    static FakeUpstream upstream;
    static DnsServer server;
    static Endpoint web;
    static Endpoint client;

    @BeforeAll
    static void start() throws IOException {
        upstream = FakeUpstream.answering();
        NetworkCreated net = Events.network(Events.newId(), "fuzz-net", "bridge", "local");
        web = new Endpoint("web", net, "172.18.0.2/16");
        client = new Endpoint("client", net, "172.18.0.3/16");
        ViewState state = new ViewState();
        state.apply(net);
        state.apply(web.allocated());
        state.apply(client.allocated());
        View view = state.snapshot();
        Forwarder forwarder = new Forwarder(List.of(upstream.socketAddress()), Duration.ofSeconds(5), 1024, 1000);
        server = DnsServer.start(InetAddress.getLoopbackAddress(), 0, 2, UdpBatchSwitch.configured(),
                new QueryProcessor(() -> view, TestIdentity.KEY, forwarder, QueryMetrics.NONE));
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    /**
     * Answers to the hostile packets are counted per rcode on the socket that sent them, so the
     * correct-answer checks in between (their own sockets) do not count; an answer's rcode is
     * the low four bits of its fourth byte, read raw because some replies echo unparsable input.
     */
    @Test
    void survivesHostileUdpAndTcpAndStillAnswersCorrectly() throws Exception {
        HostilePackets hostile = new HostilePackets(20261122L, client.containerId);
        Dig dig = new Dig(server.port()).as(client.containerId);
        Map<String, AtomicInteger> answersByRcode = new ConcurrentHashMap<>();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread reader = new Thread(() -> countAnswers(socket, answersByRcode), "hostile-answers");
            reader.setDaemon(true);
            reader.start();
            for (int i = 0; i < UDP_PACKETS; i++) {
                byte[] p = hostile.next(i);
                socket.send(new DatagramPacket(p, p.length, InetAddress.getLoopbackAddress(), server.port()));
                if (i % 13_000 == 12_999) {
                    assertAnswersCorrectlyUnderLoad(dig);
                }
            }
            // malformed (FORMERR), an opcode other than QUERY (NOTIMP), a class other than IN (REFUSED)
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(answersByRcode)
                    .as("answers to hostile packets by rcode").containsKeys("FORMERR", "NOTIMP", "REFUSED"));
        }
        sendHostileTcp(hostile);

        assertAnswersCorrectly(dig);
        assertThat(answersByRcode).as("answers to hostile packets by rcode")
                .allSatisfy((rcode, n) -> assertThat(n.get()).isPositive());
        // SERVFAIL is the server's answer when the upstream does not reply: under a flood of 104,000
        // datagrams the kernel may drop a forward to the fake upstream, so a handful is the upstream's
        // loss, not the server's; a server failing on hostile input would answer SERVFAIL by the thousand.
        int total = answersByRcode.values().stream().mapToInt(AtomicInteger::get).sum();
        int servfail = answersByRcode.getOrDefault("SERVFAIL", new AtomicInteger()).get();
        assertThat(servfail).as("SERVFAIL among %d answers to hostile packets", total).isLessThan(total / 1000);
    }

    private static void countAnswers(DatagramSocket socket, Map<String, AtomicInteger> byRcode) {
        DatagramPacket reply = new DatagramPacket(new byte[65_535], 65_535);
        while (!socket.isClosed()) {
            try {
                socket.receive(reply);
                if (reply.getLength() >= 4) {
                    String rcode = Rcode.string(reply.getData()[3] & 0x0F);
                    byRcode.computeIfAbsent(rcode, r -> new AtomicInteger()).incrementAndGet();
                }
            } catch (IOException e) {
                return; // the socket closed
            }
        }
    }

    @Test
    void anUnparsableQueryGetsFormerrWithItsIdAndAStrangerRefused() throws Exception {
        byte[] loop = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 1, 0, 1};
        byte[] answer = exchange(loop);
        assertThat(answer[0]).isEqualTo((byte) 0x12);
        assertThat(answer[1]).isEqualTo((byte) 0x34);
        assertThat(answer[3] & 0x0F).isEqualTo(Rcode.FORMERR);
        byte[] stranger = new HostilePackets(1, client.containerId).query("web", 1, 1, false);
        assertThat(new Message(exchange(stranger)).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    private static byte[] exchange(byte[] query) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(10_000);
            socket.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), server.port()));
            DatagramPacket reply = new DatagramPacket(new byte[4096], 4096);
            socket.receive(reply);
            return java.util.Arrays.copyOf(reply.getData(), reply.getLength());
        }
    }

    private static void sendHostileTcp(HostilePackets hostile) throws IOException {
        Random random = new Random(7);
        int sent = 0;
        while (sent < TCP_FRAMES) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                for (int i = 0; i < 100 && sent < TCP_FRAMES; i++, sent++) {
                    byte[] p = hostile.next(sent);
                    int length = Math.min(p.length, 65_535);
                    if (random.nextInt(50) == 0) {
                        out.writeShort(length + 1 + random.nextInt(100)); // a frame that claims more than it sends
                        out.write(p, 0, length);
                        break;
                    }
                    out.writeShort(length);
                    out.write(p, 0, length);
                }
                out.flush();
            } catch (IOException e) {
                // the server may close a connection it finds hostile; keep sending on a new one
            }
        }
    }

    /**
     * Mid-flood a UDP query may be dropped with the hostile ones when the socket buffer is full
     * (that is UDP); asked again, it must be answered correctly.
     */
    private static void assertAnswersCorrectlyUnderLoad(Dig dig) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                assertAnswersCorrectly(dig);
                return;
            } catch (IOException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static void assertAnswersCorrectly(Dig dig) throws IOException {
        for (Transport t : Transport.values()) {
            Message a = dig.a("web", t);
            assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(Dig.addresses(a)).containsExactly("172.18.0.2");
            Message outside = dig.a(FakeUpstream.OUTSIDE_NAME, t);
            assertThat(Dig.addresses(outside)).containsExactly(FakeUpstream.OUTSIDE_ADDRESS);
        }
    }
}
