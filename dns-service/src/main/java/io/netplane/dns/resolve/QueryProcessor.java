package io.netplane.dns.resolve;

import io.netplane.dns.forward.Forwarder;
import io.netplane.dns.server.QueryHandler;
import io.netplane.dns.server.Transport;
import io.netplane.dns.view.View;
import io.netplane.events.DnsIdentity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The query path: parse (any bytes), find who asks, answer from the view by Docker's rules or
 * forward upstream, and reply. Never throws for bad input: unparsable queries get FORMERR,
 * strangers REFUSED, responses and fragments shorter than a header nothing. A query whose
 * identity option does not prove its container ({@link DnsIdentity}) is a stranger's, on both
 * paths, whatever its source address.
 */
public final class QueryProcessor implements QueryHandler {

    private final Supplier<View> view;
    private final DnsIdentity identities;
    private final Forwarder forwarder;
    private final QueryMetrics metrics;
    private final LocalAnswers localAnswers = new LocalAnswers();
    private final ThreadLocal<PlainQuery> plainQueries = ThreadLocal.withInitial(PlainQuery::new);

    public QueryProcessor(Supplier<View> view, DnsIdentity identities, Forwarder forwarder, QueryMetrics metrics) {
        this.view = view;
        this.identities = identities;
        this.forwarder = forwarder;
        this.metrics = metrics;
    }

    @Override
    public void handle(byte[] raw, InetSocketAddress source, Transport transport, Consumer<byte[]> reply) {
        long start = System.nanoTime();
        metrics.received(transport);
        if (raw.length < Header.LENGTH) {
            return;
        }
        Message query;
        try {
            query = new Message(raw);
        } catch (IOException | RuntimeException e) {
            byte[] formErr = Replies.formErr(raw);
            if (formErr != null) {
                metrics.answered(Rcode.FORMERR, true, System.nanoTime() - start);
                reply.accept(formErr);
            }
            return;
        }
        if (query.getHeader().getFlag(Flags.QR)) {
            return;
        }
        Message local = refusal(query);
        if (local == null) {
            View current = view.get();
            Asker asker = Asker.identify(current, identity(query), source.getAddress());
            if (asker == null) {
                local = Replies.to(query, Rcode.REFUSED);
            } else {
                local = localAnswers.answer(current, asker, query);
            }
        }
        if (local != null) {
            send(query, local, transport, reply, true, start);
            return;
        }
        forwarder.forward(query.getQuestion(), transport).whenComplete((upstream, error) -> {
            Message answer = error != null ? Replies.to(query, Rcode.SERVFAIL) : Replies.relay(query, upstream);
            send(query, answer, transport, reply, false, start);
        });
    }

    /** Plain A and AAAA queries for container names, straight from and to wire bytes; -1 for the rest. */
    @Override
    public int answerAtOnce(byte[] raw, int length, InetSocketAddress source, Transport transport, byte[] answer) {
        if (transport != Transport.UDP) {
            return -1; // the direct answers are sized for UDP
        }
        long start = System.nanoTime();
        PlainQuery query = plainQueries.get();
        int written;
        try {
            written = query.read(raw, length)
                    ? DirectAnswers.write(view.get(), query, identity(query, raw), raw, source.getAddress(), answer)
                    : -1;
        } catch (RuntimeException e) {
            return -1; // whatever the shortcut trips on, the full path answers properly
        }
        if (written >= 0) {
            metrics.received(transport);
            metrics.answered(Rcode.NOERROR, true, System.nanoTime() - start);
        }
        return written;
    }

    /** The answer for queries we never resolve: not a standard query, not one question, not class IN. */
    private static Message refusal(Message query) {
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            return Replies.to(query, Rcode.NOTIMP);
        }
        if (query.getHeader().getCount(Section.QUESTION) != 1) {
            return Replies.to(query, Rcode.FORMERR);
        }
        Record question = query.getQuestion();
        if (question.getDClass() != DClass.IN) {
            return Replies.to(query, Rcode.REFUSED);
        }
        return null;
    }

    /** What the host agent's EDNS0 option proves (see {@link Asker#identify}), from dnsjava's parse. */
    private String identity(Message query) {
        OPTRecord opt = query.getOPT();
        if (opt == null) {
            return null;
        }
        List<EDNSOption> options = opt.getOptions(DnsIdentity.OPTION_CODE);
        if (options.isEmpty()) {
            return null;
        }
        byte[] wire = options.get(0).toWire(); // code (2) + length (2) + data
        return proven(wire, 4, wire.length - 4, query.getHeader().getID());
    }

    /** The same from the fast path's read of the raw message. */
    private String identity(PlainQuery query, byte[] raw) {
        return query.hasIdentity()
                ? proven(raw, query.identityOffset(), query.identityLength(), PlainQuery.messageId(raw))
                : null;
    }

    private String proven(byte[] data, int offset, int length, int messageId) {
        String container = identities.verify(data, offset, length, messageId, Instant.now().getEpochSecond());
        return container != null ? container : Asker.UNPROVEN;
    }

    private void send(Message query, Message answer, Transport transport, Consumer<byte[]> reply, boolean local,
            long start) {
        byte[] wire = Replies.wire(query, answer, transport);
        metrics.answered(answer.getRcode(), local, System.nanoTime() - start);
        reply.accept(wire);
    }
}
