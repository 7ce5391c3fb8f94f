package io.netplane.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Builds one netlink request in a native-order direct buffer: header, family header, attributes
 * (4-byte aligned) and nests whose length is back-patched. Big-endian fields are written only
 * through {@link #be16}.
 */
public final class MessageWriter {

    private final ByteBuffer buf = ByteBuffer.allocateDirect(8192).order(ByteOrder.nativeOrder());
    private final Deque<Integer> nests = new ArrayDeque<>();

    /** Starts a message; the sequence number and port are filled in by the socket. */
    public MessageWriter begin(int type, int flags) {
        buf.clear();
        nests.clear();
        buf.putInt(0).putShort((short) type).putShort((short) (flags | Rtnl.NLM_F_REQUEST)).putInt(0).putInt(0);
        return this;
    }

    public MessageWriter ifinfomsg(int family, int index, int flags, int change) {
        buf.put((byte) family).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
        return this;
    }

    public MessageWriter ifaddrmsg(int family, int prefixLen, int scope, int index) {
        buf.put((byte) family).put((byte) prefixLen).put((byte) 0).put((byte) scope).putInt(index);
        return this;
    }

    public MessageWriter rtmsg(int family, int dstLen, int table, int protocol, int scope, int type) {
        buf.put((byte) family).put((byte) dstLen).put((byte) 0).put((byte) 0).put((byte) table).put((byte) protocol)
                .put((byte) scope).put((byte) type).putInt(0);
        return this;
    }

    public MessageWriter ndmsg(int family, int index, int state, int flags) {
        buf.put((byte) family).put((byte) 0).putShort((short) 0).putInt(index).putShort((short) state)
                .put((byte) flags).put((byte) 0);
        return this;
    }

    public MessageWriter u8(int type, int value) {
        header(type, 1);
        buf.put((byte) value);
        return pad();
    }

    public MessageWriter u32(int type, int value) {
        header(type, 4);
        buf.putInt(value);
        return pad();
    }

    /** A {@code __be16} attribute (such as IFLA_VXLAN_PORT): network byte order whatever the host. */
    public MessageWriter be16(int type, int value) {
        header(type, 2);
        buf.put((byte) (value >>> 8)).put((byte) value);
        return pad();
    }

    public MessageWriter string(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        header(type, bytes.length + 1);
        buf.put(bytes).put((byte) 0);
        return pad();
    }

    public MessageWriter bytes(int type, byte[] value) {
        header(type, value.length);
        buf.put(value);
        return pad();
    }

    public MessageWriter beginNest(int type) {
        nests.push(buf.position());
        buf.putShort((short) 0).putShort((short) type);
        return this;
    }

    public MessageWriter endNest() {
        int start = nests.pop();
        buf.putShort(start, (short) (buf.position() - start));
        return this;
    }

    /** Stamps sequence number and length; returns a position-0 view of exactly the message. */
    ByteBuffer finish(int seq) {
        if (!nests.isEmpty()) {
            throw new IllegalStateException("unclosed attribute nest");
        }
        buf.putInt(0, buf.position());
        buf.putInt(8, seq);
        ByteBuffer out = buf.duplicate().order(ByteOrder.nativeOrder());
        out.flip();
        return out;
    }

    int type() {
        return buf.getShort(4) & 0xffff;
    }

    private void header(int type, int payloadLength) {
        buf.putShort((short) (4 + payloadLength)).putShort((short) type);
    }

    private MessageWriter pad() {
        while ((buf.position() & 3) != 0) {
            buf.put((byte) 0);
        }
        return this;
    }
}
