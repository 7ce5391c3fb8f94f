package io.netplane.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.dns.forward.Forwarder;
import io.netplane.dns.resolve.QueryMetrics;
import io.netplane.dns.resolve.QueryProcessor;
import io.netplane.dns.support.Dig;
import io.netplane.dns.support.Events;
import io.netplane.dns.support.Events.Endpoint;
import io.netplane.dns.support.TestIdentity;
import io.netplane.dns.view.View;
import io.netplane.dns.view.ViewState;
import io.netplane.events.NetworkCreated;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The UDP loops, batched and not, over real sockets on loopback: many clients at once each get
 * their own answers, a bad datagram among good ones costs only itself, and the sockets close.
 */
class UdpBatchTest {

    private static final int NAMES = 20;
    private static final int CLIENTS = 6;
    private static final int WAVES = 8;
    private static final int PER_WAVE = 32;

    private static final NetworkCreated NET = Events.network(Events.newId(), "batch-net", "bridge", "local");
    private static final Endpoint ASKER = new Endpoint("asker", NET, "172.18.0.2/16");
    private static final View VIEW = view();

    private DnsServer server;

    private static View view() {
        ViewState state = new ViewState();
        state.apply(NET);
        state.apply(ASKER.allocated());
        for (int i = 0; i < NAMES; i++) {
            state.apply(new Endpoint("c" + i, NET, address(i) + "/16").allocated());
        }
        return state.snapshot();
    }

    private static String address(int name) {
        return "172.18.1." + (10 + name);
    }

    private DnsServer start(UdpBatch batch, InetAddress address, QueryHandler handler) throws IOException {
        server = DnsServer.start(address, 0, 2, batch, handler);
        if (batch == UdpBatch.AUTO && System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            assertThat(server.batched()).as("batched on Linux; why not: %s", DnsServer.whyNotBatched()).isTrue();
        }
        if (batch == UdpBatch.OFF) {
            assertThat(server.batched()).isFalse();
        }
        return server;
    }

    private static QueryProcessor processor() {
        Forwarder none = new Forwarder(List.of(), Duration.ofSeconds(1), 16, 16);
        return new QueryProcessor(() -> VIEW, TestIdentity.KEY, none, QueryMetrics.NONE);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Client k asks with ids k * 1000 + j, so an answer that reached the wrong client shows by its id. */
    @ParameterizedTest
    @EnumSource(UdpBatch.class)
    void aBurstFromSeveralClientsGetsEveryAnswerBackToItsAsker(UdpBatch batch) throws Exception {
        start(batch, InetAddress.getLoopbackAddress(), processor());
        Dig dig = new Dig(server.port()).as(ASKER.containerId);
        List<DatagramSocket> clients = new ArrayList<>();
        try {
            for (int k = 0; k < CLIENTS; k++) {
                DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                socket.setSoTimeout(10_000);
                clients.add(socket);
            }
            for (int wave = 0; wave < WAVES; wave++) {
                // all clients send their wave before any reads: the server sees them interleaved, many per receive
                for (int k = 0; k < CLIENTS; k++) {
                    for (int j = 0; j < PER_WAVE; j++) {
                        int id = id(k, wave * PER_WAVE + j);
                        byte[] q = dig.wire("c" + (id % NAMES), Type.A, id);
                        clients.get(k).send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(),
                                server.port()));
                    }
                }
                for (int k = 0; k < CLIENTS; k++) {
                    Map<Integer, Message> answers = receive(clients.get(k), PER_WAVE);
                    for (int j = 0; j < PER_WAVE; j++) {
                        int id = id(k, wave * PER_WAVE + j);
                        assertThat(answers).as("client %d, wave %d", k, wave).containsKey(id);
                        Message answer = answers.get(id);
                        assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
                        assertThat(Dig.addresses(answer)).containsExactly(address(id % NAMES));
                    }
                    assertThat(answers).as("client %d, wave %d: only its own answers", k, wave).hasSize(PER_WAVE);
                }
            }
        } finally {
            clients.forEach(DatagramSocket::close);
        }
    }

    private static int id(int client, int query) {
        return client * 1000 + query;
    }

    /** Reads {@code n} answers (or what comes in 10 s), by DNS id; a second answer for an id fails. */
    private static Map<Integer, Message> receive(DatagramSocket socket, int n) throws IOException {
        Map<Integer, Message> byId = new HashMap<>();
        DatagramPacket reply = new DatagramPacket(new byte[4096], 4096);
        for (int i = 0; i < n; i++) {
            try {
                socket.receive(reply);
            } catch (SocketTimeoutException e) {
                break;
            }
            Message m = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
            assertThat(byId.put(m.getHeader().getID(), m)).as("second answer to id %d", m.getHeader().getID())
                    .isNull();
        }
        return byId;
    }

    /**
     * The loop is held inside a first query while the next ones queue in the kernel, so they are
     * taken together: one the handler throws on, a compression loop (FORMERR with its id), three
     * bytes (no answer, as ever), and good queries before, between and after them.
     */
    @ParameterizedTest
    @EnumSource(UdpBatch.class)
    void badDatagramsInABatchCostOnlyThemselves(UdpBatch batch) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        int gateId = 7;
        int throwingId = 66;
        QueryProcessor real = processor();
        QueryHandler handler = new QueryHandler() {
            @Override
            public void handle(byte[] query, InetSocketAddress source, Transport transport, Consumer<byte[]> reply) {
                real.handle(query, source, transport, reply);
            }

            @Override
            public int answerAtOnce(byte[] query, int length, InetSocketAddress source, Transport transport,
                                    byte[] answer) {
                int id = length >= 2 ? ((query[0] & 0xFF) << 8) | (query[1] & 0xFF) : -1;
                if (id == gateId) {
                    held.countDown();
                    await(release);
                } else if (id == throwingId) {
                    throw new IllegalStateException("a handler bug on one query");
                }
                return real.answerAtOnce(query, length, source, transport, answer);
            }
        };
        start(batch, InetAddress.getLoopbackAddress(), handler);
        Dig dig = new Dig(server.port()).as(ASKER.containerId);
        byte[] compressionLoop = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 1, 0, 1};
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(10_000);
            send(socket, dig.wire("c1", Type.A, gateId));
            assertThat(held.await(10, TimeUnit.SECONDS)).as("the loop took the first query").isTrue();
            send(socket, dig.wire("c2", Type.A, 100));
            send(socket, dig.wire("c3", Type.A, throwingId));
            send(socket, dig.wire("c4", Type.A, 101));
            send(socket, compressionLoop);
            send(socket, dig.wire("c5", Type.A, 102));
            send(socket, new byte[] {1, 2, 3});
            send(socket, dig.wire("c6", Type.A, 103));
            release.countDown();

            Map<Integer, byte[]> answers = new HashMap<>();
            DatagramPacket reply = new DatagramPacket(new byte[4096], 4096);
            for (int i = 0; i < 6; i++) { // the gate, four good ones, the FORMERR
                socket.receive(reply);
                answers.put(((reply.getData()[0] & 0xFF) << 8) | (reply.getData()[1] & 0xFF),
                        java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
            }
            assertThat(answers).containsOnlyKeys(gateId, 100, 101, 102, 103, 0x1234);
            assertThat(Dig.addresses(new Message(answers.get(101)))).containsExactly(address(4));
            assertThat(Dig.addresses(new Message(answers.get(103)))).containsExactly(address(6));
            assertThat(answers.get(0x1234)[3] & 0x0F).isEqualTo(Rcode.FORMERR);
            // nothing more: no answer to the throwing query or the three bytes (the loop goes on)
            byte[] after = dig.wire("c7", Type.A, 104);
            send(socket, after);
            socket.receive(reply);
            assertThat(((reply.getData()[0] & 0xFF) << 8) | (reply.getData()[1] & 0xFF)).isEqualTo(104);
        }
    }

    private void send(DatagramSocket socket, byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), server.port()));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** After close no socket holds the port: a plain (not SO_REUSEPORT) bind of it succeeds. */
    @ParameterizedTest
    @EnumSource(UdpBatch.class)
    void closeReleasesTheUdpPort(UdpBatch batch) throws Exception {
        start(batch, InetAddress.getLoopbackAddress(), processor());
        int port = server.port();
        assertThat(new Dig(port).as(ASKER.containerId).a("c1", Transport.UDP).getRcode()).isEqualTo(Rcode.NOERROR);
        server.close();
        server = null;
        try (DatagramSocket again = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    /** On an IPv6 socket the answer goes back to the IPv6 source and port it came from. */
    @ParameterizedTest
    @EnumSource(UdpBatch.class)
    void answersAnIpv6Client(UdpBatch batch) throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        assertThat(NetworkInterface.getByInetAddress(v6)).as("this test needs the IPv6 loopback ::1").isNotNull();
        start(batch, v6, processor());
        Dig dig = new Dig(server.port()).as(ASKER.containerId);
        try (DatagramSocket socket = new DatagramSocket(0, v6)) {
            socket.setSoTimeout(10_000);
            byte[] q = dig.wire("c9", Type.A, 4242);
            socket.send(new DatagramPacket(q, q.length, v6, server.port()));
            DatagramPacket reply = new DatagramPacket(new byte[4096], 4096);
            socket.receive(reply);
            assertThat(reply.getAddress()).isInstanceOf(Inet6Address.class).isEqualTo(v6);
            assertThat(reply.getPort()).isEqualTo(server.port());
            Message answer = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
            assertThat(answer.getHeader().getID()).isEqualTo(4242);
            assertThat(Dig.addresses(answer)).containsExactly(address(9));
        }
    }
}
