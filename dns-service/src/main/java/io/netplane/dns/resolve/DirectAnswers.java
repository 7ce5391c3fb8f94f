package io.netplane.dns.resolve;

import io.netplane.dns.server.Transport;
import io.netplane.dns.view.EndpointEntry;
import io.netplane.dns.view.View;
import java.net.InetAddress;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A or AAAA answers from the view written straight as wire bytes, for a {@link PlainQuery}: the
 * same bytes {@link LocalAnswers} and {@link Replies} give through dnsjava (header echoing the
 * query, the question as asked, each record's owner a pointer to it, TTL 600, our OPT record when
 * the client sent one), at a fraction of the cost. Returns -1 whenever the full path must decide:
 * a stranger (REFUSED), a name that is not a container's (forwarded), an answer too large (TC).
 */
final class DirectAnswers {

    private static final int POINTER_TO_QUESTION = 0xC000 | PlainQuery.HEADER;
    private static final int CLASS_IN = 1;
    private static final int OPT_LENGTH = 11;

    private DirectAnswers() {
    }

    /**
     * Writes the answer to {@code query} (its bytes in {@code raw}) into {@code out}; its length or -1.
     * {@code identity} as for {@link Asker#identify}.
     */
    static int write(View view, PlainQuery query, String identity, byte[] raw, InetAddress source, byte[] out) {
        Asker asker = Asker.identify(view, identity, source);
        if (asker == null || asker.endpoints().isEmpty()) {
            return -1;
        }
        List<EndpointEntry> found = NameResolver.resolve(view, asker, query.name());
        if (found.isEmpty()) {
            return -1;
        }
        boolean ipv6 = query.type() == PlainQuery.TYPE_AAAA;
        List<InetAddress> addresses = NameResolver.addresses(found, ipv6);
        int recordLength = 12 + (ipv6 ? 16 : 4);
        int length = query.questionEnd() + addresses.size() * recordLength + (query.hasOpt() ? OPT_LENGTH : 0);
        if (length > maxAnswer(query)) {
            return -1;
        }
        header(raw, out, addresses.size(), query.hasOpt());
        System.arraycopy(raw, PlainQuery.HEADER, out, PlainQuery.HEADER, query.questionEnd() - PlainQuery.HEADER);
        int pos = query.questionEnd();
        // Docker shuffles several addresses behind one name (round robin by chance).
        Collections.shuffle(addresses, ThreadLocalRandom.current());
        for (InetAddress address : addresses) {
            pos = record(out, pos, query.type(), address.getAddress());
        }
        if (query.hasOpt()) {
            pos = ourOpt(out, pos);
        }
        return pos;
    }

    /** What the client accepts over UDP: 512 bytes without EDNS0, else its payload size within bounds. */
    private static int maxAnswer(PlainQuery query) {
        return query.hasOpt() ? Replies.udpLimit(query.payloadSize()) : Transport.UDP.defaultMaxAnswer();
    }

    /** Id echoed; QR, RA and the query's RD; opcode QUERY, NOERROR; one question. */
    private static void header(byte[] raw, byte[] out, int answers, boolean opt) {
        out[0] = raw[0];
        out[1] = raw[1];
        out[2] = (byte) (0x80 | (raw[2] & 0x01));
        out[3] = (byte) 0x80;
        put16(out, 4, 1);
        put16(out, 6, answers);
        put16(out, 8, 0);
        put16(out, 10, opt ? 1 : 0);
    }

    private static int record(byte[] out, int pos, int type, byte[] address) {
        put16(out, pos, POINTER_TO_QUESTION);
        put16(out, pos + 2, type);
        put16(out, pos + 4, CLASS_IN);
        put32(out, pos + 6, LocalAnswers.TTL);
        put16(out, pos + 10, address.length);
        System.arraycopy(address, 0, out, pos + 12, address.length);
        return pos + 12 + address.length;
    }

    /** Root owner, type OPT, our UDP payload size, extended rcode, version and flags zero, no options. */
    private static int ourOpt(byte[] out, int pos) {
        out[pos] = 0;
        put16(out, pos + 1, 41);
        put16(out, pos + 3, Replies.OUR_UDP_PAYLOAD);
        put32(out, pos + 5, 0);
        put16(out, pos + 9, 0);
        return pos + OPT_LENGTH;
    }

    private static void put16(byte[] out, int at, int value) {
        out[at] = (byte) (value >>> 8);
        out[at + 1] = (byte) value;
    }

    private static void put32(byte[] out, int at, long value) {
        put16(out, at, (int) (value >>> 16));
        put16(out, at + 2, (int) value);
    }
}
