package io.netplane.dns.resolve;

import io.netplane.events.DnsIdentity;
import java.nio.charset.StandardCharsets;

/**
 * The common query read straight from its wire bytes, without dnsjava: a standard query with one
 * A or AAAA question of class IN, a name of plain labels (letters, digits, '-', '_'), no answer or
 * authority records, at most an EDNS0 OPT record, and nothing after it. Anything else is not
 * plain ({@link #read} returns false) and takes the full path, which parses whatever arrives.
 * One instance per thread, reused for every query.
 */
final class PlainQuery {

    static final int HEADER = 12;
    static final int TYPE_A = 1;
    static final int TYPE_AAAA = 28;
    private static final int TYPE_OPT = 41;
    private static final int CLASS_IN = 1;
    private static final int MAX_NAME = 255;

    private final byte[] lowerName = new byte[MAX_NAME];

    private int type;
    private int questionEnd;
    private boolean opt;
    private int payloadSize;
    private int identityOffset;
    private int identityLength;
    private String name;

    /** Reads {@code length} bytes of {@code m}; false when the query is not plain. */
    boolean read(byte[] m, int length) {
        if (length < HEADER + 5 || (m[2] & 0xF8) != 0 // QR or a non-zero opcode
                || u16(m, 4) != 1 || u16(m, 6) != 0 || u16(m, 8) != 0 || u16(m, 10) > 1) {
            return false;
        }
        int pos = HEADER;
        int nameLength = 0;
        while (true) {
            int label = m[pos] & 0xFF;
            if (label == 0) {
                break;
            }
            if (label > 63 || pos + 1 + label + 5 > length) {
                return false; // compression pointers and odd label types too
            }
            for (int i = pos + 1; i <= pos + label; i++) {
                byte lower = plainLower(m[i]);
                if (lower == 0) {
                    return false;
                }
                lowerName[nameLength++] = lower;
            }
            lowerName[nameLength++] = '.';
            pos += 1 + label;
            if (pos - HEADER + 1 > MAX_NAME) {
                return false;
            }
        }
        if (nameLength == 0) {
            return false;
        }
        pos++;
        type = u16(m, pos);
        if ((type != TYPE_A && type != TYPE_AAAA) || u16(m, pos + 2) != CLASS_IN) {
            return false;
        }
        questionEnd = pos + 4;
        opt = u16(m, 10) == 1;
        identityOffset = -1;
        identityLength = 0;
        if (opt && !readOpt(m, questionEnd, length)) {
            return false;
        }
        if (!opt && questionEnd != length) {
            return false;
        }
        name = new String(lowerName, 0, nameLength - 1, StandardCharsets.ISO_8859_1);
        return true;
    }

    /** The OPT record: root owner, type 41, well-formed options ending exactly at the message's end. */
    private boolean readOpt(byte[] m, int pos, int length) {
        if (pos + 11 > length || m[pos] != 0 || u16(m, pos + 1) != TYPE_OPT) {
            return false;
        }
        payloadSize = u16(m, pos + 3);
        int end = pos + 11 + u16(m, pos + 9);
        if (end != length) {
            return false;
        }
        for (int o = pos + 11; o < end; ) {
            if (o + 4 > end) {
                return false;
            }
            int code = u16(m, o);
            int size = u16(m, o + 2);
            if (o + 4 + size > end) {
                return false;
            }
            if (code == DnsIdentity.OPTION_CODE && identityOffset < 0) {
                identityOffset = o + 4;
                identityLength = size;
            }
            o += 4 + size;
        }
        return true;
    }

    /** The byte lower-cased if it may appear in a plain name, else 0. */
    private static byte plainLower(byte b) {
        if (b >= 'A' && b <= 'Z') {
            return (byte) (b + ('a' - 'A'));
        }
        if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_') {
            return b;
        }
        return 0;
    }

    static int u16(byte[] m, int at) {
        return ((m[at] & 0xFF) << 8) | (m[at + 1] & 0xFF);
    }

    int type() {
        return type;
    }

    /** The question's name, lower-case, without the final dot. */
    String name() {
        return name;
    }

    /** Offset just past the question: header and question are echoed from here back. */
    int questionEnd() {
        return questionEnd;
    }

    boolean hasOpt() {
        return opt;
    }

    int payloadSize() {
        return payloadSize;
    }

    /** The query's DNS id. */
    static int messageId(byte[] m) {
        return u16(m, 0);
    }

    boolean hasIdentity() {
        return identityOffset >= 0;
    }

    /** Where the first identity option's data starts in the message (when {@link #hasIdentity()}). */
    int identityOffset() {
        return identityOffset;
    }

    int identityLength() {
        return identityLength;
    }
}
