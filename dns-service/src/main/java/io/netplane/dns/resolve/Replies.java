package io.netplane.dns.resolve;

import io.netplane.dns.server.Transport;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Builds answers: header echoing the query, our own OPT record, sized for the transport. */
final class Replies {

    /** The UDP payload size we advertise (the DNS flag day 2020 value). */
    static final int OUR_UDP_PAYLOAD = 1232;
    private static final int MIN_UDP = 512;
    private static final int MAX_UDP = 65_507;

    private Replies() {
    }

    /** An empty answer to {@code query} with the given rcode; question copied when there is one. */
    static Message to(Message query, int rcode) {
        Header q = query.getHeader();
        Message reply = new Message(q.getID());
        Header h = reply.getHeader();
        h.setFlag(Flags.QR);
        h.setFlag(Flags.RA);
        h.setOpcode(q.getOpcode());
        if (q.getFlag(Flags.RD)) {
            h.setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        if (question != null) {
            reply.addRecord(question, Section.QUESTION);
        }
        h.setRcode(rcode);
        return reply;
    }

    /** The client's answer built from an upstream answer: upstream's sections and rcode, our header and OPT. */
    static Message relay(Message query, Message upstream) {
        Message reply = to(query, upstream.getRcode());
        for (int flag : new int[] {Flags.AA, Flags.AD}) {
            if (upstream.getHeader().getFlag(flag)) {
                reply.getHeader().setFlag(flag);
            }
        }
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : upstream.getSection(section)) {
                if (r.getType() != Type.OPT) {
                    reply.addRecord(r, section);
                }
            }
        }
        return reply;
    }

    /** What a client that sent EDNS0 with {@code payloadSize} accepts over UDP. */
    static int udpLimit(int payloadSize) {
        return Math.min(MAX_UDP, Math.max(MIN_UDP, payloadSize));
    }

    /** Wire bytes, truncated with TC set when larger than the client accepts. */
    static byte[] wire(Message query, Message reply, Transport transport) {
        OPTRecord clientOpt = query.getOPT();
        int max = transport.defaultMaxAnswer();
        if (clientOpt != null) {
            reply.addRecord(new OPTRecord(OUR_UDP_PAYLOAD, 0, 0), Section.ADDITIONAL);
            if (transport == Transport.UDP) {
                max = udpLimit(clientOpt.getPayloadSize());
            }
        }
        return reply.toWire(max);
    }

    /**
     * FORMERR for a message dnsjava cannot parse, from its raw header: same id and opcode.
     * Null if the bytes are a response (never answer those: it would start reply loops).
     */
    static byte[] formErr(byte[] raw) {
        if ((raw[2] & 0x80) != 0) {
            return null;
        }
        byte[] out = new byte[Header.LENGTH];
        out[0] = raw[0];
        out[1] = raw[1];
        out[2] = (byte) (0x80 | (raw[2] & 0x78)); // QR + the query's opcode
        out[3] = (byte) (0x80 | org.xbill.DNS.Rcode.FORMERR); // RA + rcode
        return out;
    }
}
