package io.netplane.dns.server;

import io.netplane.dns.support.TestIdentity;
import io.netplane.events.DnsIdentity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;

/**
 * Generates malformed and hostile DNS messages: random bytes, truncated queries, compression
 * loops, pointers out of bounds, huge section counts, wrong classes and opcodes, responses,
 * oversized messages, broken EDNS0 options and identity options, names too long. Queries
 * meant to carry a valid identity are signed as the host agent's stub signs them. Seeded, so a
 * failure can be replayed.
 */
final class HostilePackets {

    static final int KINDS = 13;

    private final Random random;
    private final String identity;
    private int lastIdentityLength; // of the identity option data {@link #query} wrote last

    HostilePackets(long seed, String identity) {
        this.random = new Random(seed);
        this.identity = identity;
    }

    byte[] next(int index) {
        return switch (index % KINDS) {
            case 0 -> randomBytes(random.nextInt(1500));
            case 1 -> truncated();
            case 2 -> compressionLoop();
            case 3 -> pointerOutOfBounds();
            case 4 -> hugeCounts();
            case 5 -> wrongClass();
            case 6 -> oversized();
            case 7 -> response();
            case 8 -> oddOpcode();
            case 9 -> brokenOpt();
            case 10 -> hostileIdentity();
            case 11 -> nameTooLong();
            default -> randomFlippedQuery();
        };
    }

    private byte[] randomBytes(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    /** A well-formed query for {@code name} with the given class, optionally with an identity option. */
    byte[] query(String name, int type, int dclass, boolean withIdentity) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) random.nextInt(65536)).putShort((short) 0x0100).putShort((short) 1)
                .putShort((short) 0).putShort((short) 0).putShort((short) (withIdentity ? 1 : 0));
        for (String label : name.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            b.put((byte) l.length).put(l);
        }
        b.put((byte) 0).putShort((short) type).putShort((short) dclass);
        if (withIdentity) {
            byte[] id = TestIdentity.KEY.sign(identity, b.getShort(0) & 0xFFFF, Instant.now().getEpochSecond());
            b.put((byte) 0).putShort((short) 41).putShort((short) 1232).putInt(0)
                    .putShort((short) (4 + id.length)).putShort((short) DnsIdentity.OPTION_CODE)
                    .putShort((short) id.length).put(id);
            lastIdentityLength = id.length;
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private byte[] truncated() {
        byte[] q = query("web", 1, 1, random.nextBoolean());
        return java.util.Arrays.copyOf(q, random.nextInt(q.length));
    }

    private byte[] compressionLoop() {
        ByteBuffer b = header(1, 0, 0, 0);
        b.put((byte) 0xC0).put((byte) 12).putShort((short) 1).putShort((short) 1); // points at itself
        return bytes(b);
    }

    private byte[] pointerOutOfBounds() {
        ByteBuffer b = header(1, 1, 0, 0);
        b.put((byte) 3).put("web".getBytes(StandardCharsets.US_ASCII)).put((byte) 0xC0).put((byte) 14)
                .putShort((short) 1).putShort((short) 1);
        b.put((byte) 0xFF).put((byte) 0xFF).putShort((short) 1).putShort((short) 1).putInt(600).putShort((short) 4)
                .putInt(random.nextInt());
        return bytes(b);
    }

    private byte[] hugeCounts() {
        ByteBuffer b = header(0xFFFF, random.nextInt(65536), random.nextInt(65536), 0xFFFF);
        b.put(randomBytes(random.nextInt(64)));
        return bytes(b);
    }

    private byte[] wrongClass() {
        int[] classes = {3, 4, 254, 255, 0, random.nextInt(65536)};
        return query("web", 1, classes[random.nextInt(classes.length)], random.nextBoolean());
    }

    private byte[] oversized() {
        byte[] q = query("web", 1, 1, true);
        byte[] big = new byte[4_000 + random.nextInt(60_000)];
        random.nextBytes(big);
        System.arraycopy(q, 0, big, 0, q.length);
        return big;
    }

    private byte[] response() {
        byte[] q = query("web", 1, 1, true);
        q[2] |= (byte) 0x80;
        return q;
    }

    private byte[] oddOpcode() {
        byte[] q = query("web", 1, 1, true);
        q[2] = (byte) ((q[2] & 0x87) | ((1 + random.nextInt(15)) << 3));
        return q;
    }

    private byte[] brokenOpt() {
        byte[] q = query("web", 1, 1, true);
        int rdlenAt = q.length - (lastIdentityLength + 4) - 2;
        q[rdlenAt] = (byte) random.nextInt(256);
        q[rdlenAt + 1] = (byte) random.nextInt(256);
        return q;
    }

    private byte[] hostileIdentity() {
        ByteBuffer b = header(1, 0, 0, 1);
        b.put((byte) 3).put("web".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).putShort((short) 1)
                .putShort((short) 1);
        int length = random.nextInt(300);
        b.put((byte) 0).putShort((short) 41).putShort((short) 1232).putInt(0).putShort((short) (4 + length))
                .putShort((short) DnsIdentity.OPTION_CODE).putShort((short) length).put(randomBytes(length));
        return bytes(b);
    }

    private byte[] nameTooLong() {
        ByteBuffer b = header(1, 0, 0, 0);
        for (int i = 0; i < 6; i++) {
            b.put((byte) 63).put(randomBytes(63));
        }
        b.put((byte) 0).putShort((short) 1).putShort((short) 1);
        return bytes(b);
    }

    private byte[] randomFlippedQuery() {
        byte[] q = query("web", 1 + random.nextInt(300), 1, random.nextBoolean());
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
            q[random.nextInt(q.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return q;
    }

    private ByteBuffer header(int qd, int an, int ns, int ar) {
        ByteBuffer b = ByteBuffer.allocate(2048);
        b.putShort((short) random.nextInt(65536)).putShort((short) 0x0100).putShort((short) qd).putShort((short) an)
                .putShort((short) ns).putShort((short) ar);
        return b;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }
}
