package io.netplane.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The attributes of one message or nest, indexed by type (masked with NLA_TYPE_MASK). Lengths
 * are checked against the enclosing region; a malformed attribute ends the walk.
 */
public final class Attributes {

    private final Map<Integer, ByteBuffer> byType = new HashMap<>();

    private Attributes() {
    }

    /** Walks attributes from {@code from} to {@code to} (absolute positions in {@code buf}). */
    public static Attributes parse(ByteBuffer buf, int from, int to) {
        Attributes attrs = new Attributes();
        int pos = from;
        while (pos + 4 <= to) {
            int len = buf.getShort(pos) & 0xffff;
            int type = buf.getShort(pos + 2) & Rtnl.NLA_TYPE_MASK;
            if (len < 4 || pos + len > to) {
                break;
            }
            ByteBuffer value = buf.duplicate().order(ByteOrder.nativeOrder());
            value.limit(pos + len).position(pos + 4);
            attrs.byType.putIfAbsent(type, value.slice().order(ByteOrder.nativeOrder()));
            pos += (len + 3) & ~3;
        }
        return attrs;
    }

    public boolean has(int type) {
        return byType.containsKey(type);
    }

    public Attributes nested(int type) {
        ByteBuffer v = byType.get(type);
        return v == null ? new Attributes() : parse(v, 0, v.limit());
    }

    public String string(int type) {
        ByteBuffer v = byType.get(type);
        if (v == null) {
            return null;
        }
        byte[] b = new byte[v.remaining()];
        v.duplicate().get(b);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    public byte[] bytes(int type) {
        ByteBuffer v = byType.get(type);
        if (v == null) {
            return null;
        }
        byte[] b = new byte[v.remaining()];
        v.duplicate().get(b);
        return b;
    }

    public int u32(int type, int absent) {
        ByteBuffer v = byType.get(type);
        return v == null || v.remaining() < 4 ? absent : v.getInt(0);
    }

    public int u8(int type, int absent) {
        ByteBuffer v = byType.get(type);
        return v == null || v.remaining() < 1 ? absent : v.get(0) & 0xff;
    }

    public int be16(int type, int absent) {
        ByteBuffer v = byType.get(type);
        return v == null || v.remaining() < 2 ? absent : ((v.get(0) & 0xff) << 8) | (v.get(1) & 0xff);
    }
}
