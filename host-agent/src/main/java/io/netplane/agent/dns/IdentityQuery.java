package io.netplane.agent.dns;

import io.netplane.events.DnsIdentity;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * A query as the stub forwards it: with the asker's identity (EDNS0 option
 * {@link DnsIdentity#OPTION_CODE}, signed: a container's, or the host's), and the way back: the
 * answer as the client expects it, without the identity and, when its query had no EDNS, without
 * any OPT record.
 */
final class IdentityQuery {

    /** What a client without EDNS takes over UDP (RFC 1035); dns-service then sizes the answer for it. */
    private static final int NO_EDNS_PAYLOAD = 512;

    private final byte[] wire;
    private final int id;
    private final boolean clientEdns;

    private IdentityQuery(byte[] wire, int id, boolean clientEdns) {
        this.wire = wire;
        this.id = id;
        this.clientEdns = clientEdns;
    }

    /** The query with {@code asker}'s signed identity option set (replacing any such option the client sent). */
    static IdentityQuery of(byte[] query, String asker, DnsIdentity key) throws IOException {
        Message m = new Message(query);
        OPTRecord old = m.getOPT();
        List<EDNSOption> options = new ArrayList<>();
        int payload = NO_EDNS_PAYLOAD;
        int flags = 0;
        int version = 0;
        if (old != null) {
            for (EDNSOption o : old.getOptions()) {
                if (o.getCode() != DnsIdentity.OPTION_CODE) {
                    options.add(o);
                }
            }
            payload = Math.max(old.getPayloadSize(), NO_EDNS_PAYLOAD);
            flags = old.getFlags();
            version = old.getVersion();
            m.removeRecord(old, Section.ADDITIONAL);
        }
        int id = m.getHeader().getID();
        options.add(new GenericEDNSOption(DnsIdentity.OPTION_CODE,
                key.sign(asker, id, Instant.now().getEpochSecond())));
        m.addRecord(new OPTRecord(payload, 0, version, flags, options), Section.ADDITIONAL);
        return new IdentityQuery(m.toWire(), id, old != null);
    }

    byte[] wire() {
        return wire;
    }

    /** Whether a message from dns-service answers this query (same id, a response). */
    boolean answeredBy(byte[] reply, int length) {
        return length >= 12 && (reply[2] & 0x80) != 0 && ((reply[0] & 0xFF) << 8 | (reply[1] & 0xFF)) == id;
    }

    /** dns-service's answer as the container gets it; null when it is not a DNS message. */
    byte[] toClient(byte[] reply) {
        Message m;
        try {
            m = new Message(reply);
        } catch (IOException e) {
            return null;
        }
        OPTRecord opt = m.getOPT();
        if (opt == null) {
            return reply;
        }
        boolean identityEchoed = !opt.getOptions(DnsIdentity.OPTION_CODE).isEmpty();
        if (clientEdns && !identityEchoed) {
            return reply;
        }
        m.removeRecord(opt, Section.ADDITIONAL);
        if (clientEdns) {
            List<EDNSOption> kept = new ArrayList<>(opt.getOptions());
            kept.removeIf(o -> o.getCode() == DnsIdentity.OPTION_CODE);
            m.addRecord(new OPTRecord(opt.getPayloadSize(), opt.getExtendedRcode(), opt.getVersion(), opt.getFlags(),
                    kept), Section.ADDITIONAL);
        }
        return m.toWire();
    }

    /** SERVFAIL for a query the upstream did not answer (Docker's answer when no upstream replies). */
    static byte[] servfail(byte[] query) {
        return failure(query, Rcode.SERVFAIL);
    }

    /**
     * REFUSED for a query from a source the stub may not ask for; null for a
     * response (QR set), which is never answered (as dns-service does), so that two servers
     * cannot be made to answer each other's answers forever.
     */
    static byte[] refused(byte[] query) {
        if (query.length < 12 || (query[2] & 0x80) != 0) {
            return null;
        }
        return failure(query, Rcode.REFUSED);
    }

    /** An empty answer with {@code rcode} echoing the query's id, RD and question; null when the query is not DNS. */
    private static byte[] failure(byte[] query, int rcode) {
        try {
            Message q = new Message(query);
            Message r = new Message(q.getHeader().getID());
            r.getHeader().setFlag(Flags.QR);
            r.getHeader().setFlag(Flags.RA);
            if (q.getHeader().getFlag(Flags.RD)) {
                r.getHeader().setFlag(Flags.RD);
            }
            r.getHeader().setRcode(rcode);
            if (q.getQuestion() != null) {
                r.addRecord(q.getQuestion(), Section.QUESTION);
            }
            return r.toWire();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
