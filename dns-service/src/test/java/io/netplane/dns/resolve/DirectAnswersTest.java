package io.netplane.dns.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.dns.forward.Forwarder;
import io.netplane.dns.server.Transport;
import io.netplane.dns.support.Events;
import io.netplane.dns.support.Events.Endpoint;
import io.netplane.dns.support.TestIdentity;
import io.netplane.dns.view.View;
import io.netplane.dns.view.ViewState;
import io.netplane.events.DnsIdentity;
import io.netplane.events.NetworkCreated;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The shortcut for plain queries answers byte for byte what the full dnsjava path answers, and
 * leaves to the full path everything it does not own (strangers, outside names, other types, odd
 * messages, answers that need truncation).
 */
class DirectAnswersTest {

    private final NetworkCreated net = Events.network(Events.newId(), "app-net", "bridge", "local");
    private final Endpoint web = new Endpoint("web", net, "172.18.0.2/16");
    private final Endpoint db = new Endpoint("db", net, "172.18.0.3/16");
    private final Endpoint client = new Endpoint("client", net, "172.18.0.9/16");
    private final Forwarder forwarder =
            new Forwarder(List.of(new InetSocketAddress("127.0.0.1", 9)), Duration.ofMillis(200), 16, 16);
    private QueryProcessor processor;

    private void start(Endpoint... endpoints) {
        ViewState state = new ViewState();
        state.apply(net);
        for (Endpoint e : endpoints) {
            state.apply(e.allocated());
        }
        View view = state.snapshot();
        processor = new QueryProcessor(() -> view, TestIdentity.KEY, forwarder, QueryMetrics.NONE);
    }

    @Test
    void plainQueriesGetTheFullPathsBytes() throws IOException {
        web.ipv6 = "fd00::2/64";
        start(web, db, client);
        for (byte[] query : List.of(
                query("web.", Type.A, client.containerId, 1232),
                query("WeB.App-Net.", Type.A, client.containerId, 1232),
                query(web.shortId() + ".", Type.A, client.containerId, 4096),
                query("web.", Type.AAAA, client.containerId, 1232),
                query("db.", Type.AAAA, client.containerId, 1232),
                query("db.", Type.A, null, 1232),
                query("db.", Type.A, null, -1))) {
            byte[] direct = direct(query, client.address());
            assertThat(direct).as("answered directly: %s", new Message(query).getQuestion()).isNotNull();
            assertThat(direct).isEqualTo(full(query, client.address()));
        }
    }

    @Test
    void severalContainersBehindOneAliasComeShuffledWithTheSameRecords() throws IOException {
        web.aliases("pool");
        db.aliases("pool");
        Endpoint third = new Endpoint("third", net, "172.18.0.4/16").aliases("pool");
        start(web, db, third, client);
        byte[] query = query("pool.", Type.A, client.containerId, 1232);
        Set<List<String>> orders = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Message direct = new Message(direct(query, client.address()));
            Message full = new Message(full(query, client.address()));
            assertThat(direct.getHeader().toString()).isEqualTo(full.getHeader().toString());
            assertThat(addresses(direct)).containsExactlyInAnyOrderElementsOf(addresses(full))
                    .containsExactlyInAnyOrder("172.18.0.2", "172.18.0.3", "172.18.0.4");
            orders.add(addresses(direct));
        }
        assertThat(orders).as("orders seen").hasSizeGreaterThan(1);
    }

    @Test
    void everythingElseIsLeftToTheFullPath() throws IOException {
        start(web, client);
        String id = client.containerId;
        assertThat(direct(query("example.com.", Type.A, id, 1232), client.address())).as("outside name").isNull();
        assertThat(direct(query("web.", Type.A, null, 1232), "172.18.0.77")).as("stranger").isNull();
        assertThat(direct(query("web.", Type.A, "no-such-container", 1232), client.address())).isNull();
        assertThat(direct(query("web.", Type.MX, id, 1232), client.address())).as("MX").isNull();
        assertThat(direct(query("2.0.18.172.in-addr.arpa.", Type.PTR, id, 1232), client.address())).isNull();
        assertThat(direct(query("we\\.b.", Type.A, id, 1232), client.address())).as("dot in a label").isNull();
        assertThat(direct(queryWith("web.", Type.A, m -> new byte[0], 1232), client.address())).as("empty identity")
                .isNull();

        byte[] plain = query("web.", Type.A, id, 1232);
        byte[] response = plain.clone();
        response[2] |= (byte) 0x80;
        assertThat(direct(response, client.address())).as("a response").isNull();
        byte[] trailing = Arrays.copyOf(plain, plain.length + 1);
        assertThat(direct(trailing, client.address())).as("trailing byte").isNull();
        assertThat(direct(Arrays.copyOf(plain, plain.length - 1), client.address())).as("cut short").isNull();
        assertThat(processor.answerAtOnce(plain, plain.length, source(client.address()), Transport.TCP,
                new byte[65_535])).as("over TCP").isEqualTo(-1);
    }

    @Test
    void anIdentityThatDoesNotProveItsContainerIsRefusedOnBothPathsEvenFromItsAddress() throws IOException {
        start(web, client);
        String id = client.containerId;
        Map<String, IntFunction<byte[]>> forgeries = Map.of(
                "the bare id, no MAC", TestIdentity.bare(id),
                "signed with another key", TestIdentity.signedWithOtherKey(id),
                "signed a minute ago", TestIdentity.stale(id),
                "signed for another query", TestIdentity.forAnotherQuery(id));
        forgeries.forEach((how, identity) -> {
            for (String name : List.of("web.", "example.com.")) {
                try {
                    byte[] query = queryWith(name, Type.A, identity, 1232);
                    assertThat(direct(query, client.address())).as("%s, %s: fast path", how, name).isNull();
                    assertThat(new Message(full(query, client.address())).getRcode()).as("%s, %s", how, name)
                            .isEqualTo(Rcode.REFUSED);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        assertThat(direct(query("web.", Type.A, id, 1232), "10.9.9.9")).as("signed, from anywhere").isNotNull();
    }

    @Test
    void aHostsIdentityIsAnsweredNoContainersNameOnEitherPath() throws IOException {
        start(web, client);
        byte[] query = queryWith("web.", Type.A, TestIdentity.host("h1"), 1232);
        assertThat(direct(query, client.address())).as("fast path, even from a container's address").isNull();
        CompletableFuture<byte[]> forwarded = new CompletableFuture<>();
        processor.handle(query, source(client.address()), Transport.UDP, forwarded::complete);
        Message full = new Message(forwarded.join());
        assertThat(full.getRcode()).as("forwarded (the dead upstream fails it), not answered from the view")
                .isEqualTo(Rcode.SERVFAIL);
        assertThat(full.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void answersLargerThanTheClientTakesAreLeftToTheFullPathToTruncate() throws IOException {
        Endpoint[] many = new Endpoint[40];
        for (int i = 0; i < many.length; i++) {
            many[i] = new Endpoint("m" + i, net, "172.18.1." + (i + 1) + "/16").aliases("crowd");
        }
        Endpoint[] all = Arrays.copyOf(many, many.length + 1);
        all[many.length] = client;
        start(all);
        assertThat(direct(query("crowd.", Type.A, client.containerId, -1), client.address())).isNull();
        assertThat(direct(query("crowd.", Type.A, client.containerId, 1232), client.address())).isNotNull();
        Message truncated = new Message(full(query("crowd.", Type.A, client.containerId, -1), client.address()));
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
    }

    private byte[] direct(byte[] query, String from) {
        byte[] out = new byte[65_535];
        int length = processor.answerAtOnce(query, query.length, source(from), Transport.UDP, out);
        return length < 0 ? null : Arrays.copyOf(out, length);
    }

    private byte[] full(byte[] query, String from) {
        AtomicReference<byte[]> answer = new AtomicReference<>();
        processor.handle(query, source(from), Transport.UDP, answer::set);
        return answer.get();
    }

    private static InetSocketAddress source(String address) {
        return new InetSocketAddress(address, 40_000);
    }

    /** A query with an OPT record of that payload size (none for -1), carrying the identity, signed, if given. */
    private static byte[] query(String name, int type, String identity, int payload) throws IOException {
        return queryWith(name, type, identity == null ? null : TestIdentity.signed(identity), payload);
    }

    /** The same with whatever identity option data (given the DNS id) a test wants. */
    private static byte[] queryWith(String name, int type, IntFunction<byte[]> identity, int payload) throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        if (payload >= 0) {
            List<EDNSOption> options = identity == null ? List.of() : List.of(
                    new GenericEDNSOption(DnsIdentity.OPTION_CODE, identity.apply(q.getHeader().getID())));
            q.addRecord(new OPTRecord(payload, 0, 0, 0, options), Section.ADDITIONAL);
        }
        return q.toWire();
    }

    private static List<String> addresses(Message m) {
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }
}
