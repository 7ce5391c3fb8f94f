package io.netplane.agent.dns;

import io.netplane.events.DnsIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/** Adds the asking container's identity (EDNS0 option {@link DnsIdentity#OPTION_CODE}) to a query. */
final class IdentityQuery {

    private static final int DEFAULT_PAYLOAD = 1232;

    private IdentityQuery() {
    }

    /** The query with the identity option set (replacing any such option the client sent). */
    static byte[] withIdentity(byte[] query, String containerId) throws IOException {
        Message m = new Message(query);
        OPTRecord old = m.getOPT();
        List<EDNSOption> options = new ArrayList<>();
        int payload = DEFAULT_PAYLOAD;
        int flags = 0;
        int version = 0;
        if (old != null) {
            for (EDNSOption o : old.getOptions()) {
                if (o.getCode() != DnsIdentity.OPTION_CODE) {
                    options.add(o);
                }
            }
            payload = Math.max(old.getPayloadSize(), 512);
            flags = old.getFlags();
            version = old.getVersion();
            m.removeRecord(old, Section.ADDITIONAL);
        }
        options.add(new GenericEDNSOption(DnsIdentity.OPTION_CODE, containerId.getBytes(StandardCharsets.US_ASCII)));
        m.addRecord(new OPTRecord(payload, 0, version, flags, options), Section.ADDITIONAL);
        return m.toWire();
    }

    /** SERVFAIL for a query the upstream did not answer (Docker's answer when no upstream replies). */
    static byte[] servfail(byte[] query) {
        try {
            Message q = new Message(query);
            Message r = new Message(q.getHeader().getID());
            r.getHeader().setFlag(Flags.QR);
            r.getHeader().setFlag(Flags.RA);
            if (q.getHeader().getFlag(Flags.RD)) {
                r.getHeader().setFlag(Flags.RD);
            }
            r.getHeader().setRcode(Rcode.SERVFAIL);
            if (q.getQuestion() != null) {
                r.addRecord(q.getQuestion(), Section.QUESTION);
            }
            return r.toWire();
        } catch (IOException e) {
            return null;
        }
    }
}
