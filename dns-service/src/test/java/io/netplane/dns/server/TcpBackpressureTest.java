package io.netplane.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.dns.forward.Forwarder;
import io.netplane.dns.resolve.QueryMetrics;
import io.netplane.dns.resolve.QueryProcessor;
import io.netplane.dns.support.Dig;
import io.netplane.dns.support.Events;
import io.netplane.dns.support.Events.Endpoint;
import io.netplane.dns.support.TestIdentity;
import io.netplane.dns.support.UdpBatchSwitch;
import io.netplane.dns.view.View;
import io.netplane.dns.view.ViewState;
import io.netplane.events.DnsIdentity;
import io.netplane.events.NetworkCreated;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A TCP client that pipelines queries and never reads its answers: the server stops taking its
 * queries once their answers back up, and goes on answering everyone else.
 */
class TcpBackpressureTest {

    /** Far more answers than kernel buffers on both ends hold: the server must hold the client back. */
    private static final int PIPELINED = 200_000;
    private static final int REPLICAS = 60;

    private final AtomicInteger receivedOverTcp = new AtomicInteger();
    private DnsServer server;
    private Endpoint client;

    @BeforeEach
    void start() throws IOException {
        NetworkCreated net = Events.network(Events.newId(), "pipe-net", "bridge", "local");
        Endpoint web = new Endpoint("web", net, "172.18.0.2/16");
        client = new Endpoint("client", net, "172.18.0.3/16");
        ViewState state = new ViewState();
        state.apply(net);
        state.apply(web.allocated());
        state.apply(client.allocated());
        for (int i = 0; i < REPLICAS; i++) { // one name, many addresses: a large answer per query
            state.apply(new Endpoint("replica-" + i, net, "172.18.1." + (i + 10) + "/16").aliases("many").allocated());
        }
        View view = state.snapshot();
        Forwarder noUpstreams = new Forwarder(List.of(), Duration.ofSeconds(1), 16, 16);
        QueryMetrics counting = new QueryMetrics() {
            @Override
            public void received(Transport transport) {
                if (transport == Transport.TCP) {
                    receivedOverTcp.incrementAndGet();
                }
            }

            @Override
            public void answered(int rcode, boolean local, long nanos) {
            }
        };
        server = DnsServer.start(InetAddress.getLoopbackAddress(), 0, 1, UdpBatchSwitch.configured(),
                new QueryProcessor(() -> view, TestIdentity.KEY, noUpstreams, counting));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aClientThatPipelinesAndNeverReadsDoesNotStopAnotherBeingAnswered() throws Exception {
        byte[] query = signedQuery("many.");
        try (Socket hog = new Socket()) {
            hog.setReceiveBufferSize(4096); // a client that reads nothing: its window stays shut
            hog.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            Thread writer = new Thread(() -> pipeline(hog, query), "pipelining-client");
            writer.setDaemon(true);
            writer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> server.tcpHeldBack() == 1);

            Message answer = new Dig(server.port()).as(client.containerId).a("web", Transport.TCP);
            assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(Dig.addresses(answer)).containsExactly("172.18.0.2");
            assertThat(server.tcpHeldBack()).as("the pipelining client is still held back").isEqualTo(1);
            assertThat(server.tcpUnsentBytes()).as("answers kept for it: the cap and at most one more")
                    .isLessThanOrEqualTo(TcpLoop.MAX_UNSENT_BYTES + 2 + 65_535);
            assertThat(receivedOverTcp.get()).as("queries the server took from it").isLessThan(PIPELINED);
        }
    }

    /** Writes the query again and again, never reading; ends when the socket is closed. */
    private static void pipeline(Socket socket, byte[] query) {
        try {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            for (int i = 0; i < PIPELINED; i++) {
                out.writeShort(query.length);
                out.write(query);
            }
            out.flush();
        } catch (IOException closed) {
            // the test is over
        }
    }

    private byte[] signedQuery(String name) throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
        byte[] identity = TestIdentity.signed(client.containerId).apply(q.getHeader().getID());
        q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new GenericEDNSOption(DnsIdentity.OPTION_CODE, identity))),
                Section.ADDITIONAL);
        return q.toWire();
    }
}
