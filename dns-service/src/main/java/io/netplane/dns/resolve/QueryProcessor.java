package io.netplane.dns.resolve;

import io.netplane.dns.forward.Forwarder;
import io.netplane.dns.server.QueryHandler;
import io.netplane.dns.server.Transport;
import io.netplane.dns.view.View;
import io.netplane.events.DnsIdentity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
 * strangers REFUSED, responses and fragments shorter than a header nothing.
 */
public final class QueryProcessor implements QueryHandler {

    /** Longer identity options are refused, by this path and by {@link PlainQuery}. */
    static final int MAX_IDENTITY_LENGTH = 128;

    private final Supplier<View> view;
    private final Forwarder forwarder;
    private final QueryMetrics metrics;
    private final LocalAnswers localAnswers = new LocalAnswers();
    private final ThreadLocal<PlainQuery> plainQueries = ThreadLocal.withInitial(PlainQuery::new);

    public QueryProcessor(Supplier<View> view, Forwarder forwarder, QueryMetrics metrics) {
        this.view = view;
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
                    ? DirectAnswers.write(view.get(), query, raw, source.getAddress(), answer)
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

    /** The asking container's id from the host agent's EDNS0 option, or null. */
    static String identity(Message query) {
        OPTRecord opt = query.getOPT();
        if (opt == null) {
            return null;
        }
        List<EDNSOption> options = opt.getOptions(DnsIdentity.OPTION_CODE);
        if (options.isEmpty()) {
            return null;
        }
        byte[] wire = options.get(0).toWire(); // code (2) + length (2) + data
        int length = wire.length - 4;
        if (length <= 0 || length > MAX_IDENTITY_LENGTH) {
            return "";
        }
        return new String(wire, 4, length, StandardCharsets.US_ASCII);
    }

    private void send(Message query, Message answer, Transport transport, Consumer<byte[]> reply, boolean local,
            long start) {
        byte[] wire = Replies.wire(query, answer, transport);
        metrics.answered(answer.getRcode(), local, System.nanoTime() - start);
        reply.accept(wire);
    }
}
