package io.netplane.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * One NETLINK_ROUTE socket. It stays in the network namespace of the thread that opened it
 * (see NamespaceManager), whichever thread uses it afterwards. Calls are serialised.
 */
public final class NetlinkSocket implements AutoCloseable {

    private static final int RECV_SIZE = 64 * 1024;
    private static final int DUMP_RETRIES = 5;

    private final int fd;
    private final ByteBuffer recv = ByteBuffer.allocateDirect(RECV_SIZE).order(ByteOrder.nativeOrder());
    private final Pointer msghdr;
    private final MessageWriter writer = new MessageWriter();
    private int seq = (int) (System.nanoTime() & 0x3fffffff);
    private boolean closed;

    private NetlinkSocket(int fd) {
        this.fd = fd;
        var rt = Native.runtime();
        Pointer iov = Memory.allocateDirect(rt, 16);
        iov.putAddress(0, Pointer.wrap(rt, recv).address());
        iov.putLong(8, RECV_SIZE);
        msghdr = Memory.allocateDirect(rt, 56);
        msghdr.putAddress(16, iov.address());
        msghdr.putLong(24, 1);
        // keep iov reachable for as long as msghdr points at it
        this.iovHolder = iov;
    }

    @SuppressWarnings("unused")
    private final Pointer iovHolder;

    /** Opens a socket in the calling thread's network namespace. */
    public static NetlinkSocket open() {
        LibC c = Native.C;
        int fd = Native.check(c.socket(Rtnl.AF_NETLINK, Rtnl.SOCK_RAW | Rtnl.SOCK_CLOEXEC, Rtnl.NETLINK_ROUTE),
                "socket(AF_NETLINK)");
        try {
            ByteBuffer addr = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());
            addr.putShort(0, (short) Rtnl.AF_NETLINK);
            Native.check(c.bind(fd, addr, 12), "bind netlink socket");
            setInt(fd, Rtnl.SOL_NETLINK, Rtnl.NETLINK_EXT_ACK, 1);
            setInt(fd, Rtnl.SOL_NETLINK, Rtnl.NETLINK_CAP_ACK, 1);
            setInt(fd, Rtnl.SOL_SOCKET, Rtnl.SO_RCVBUFFORCE, 8 << 20);
            // a lost reply must not block a thread forever (recv ignores interrupts)
            ByteBuffer tv = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
            tv.putLong(0, 10).putLong(8, 0);
            Native.check(c.setsockopt(fd, Rtnl.SOL_SOCKET, Rtnl.SO_RCVTIMEO, tv, 16), "setsockopt SO_RCVTIMEO");
        } catch (RuntimeException e) {
            c.close(fd);
            throw e;
        }
        return new NetlinkSocket(fd);
    }

    private static void setInt(int fd, int level, int name, int value) {
        ByteBuffer v = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        v.putInt(0, value);
        Native.check(Native.C.setsockopt(fd, level, name, v, 4), "setsockopt " + level + "/" + name);
    }

    /** The writer to build the next request with; valid until the next request or dump. */
    public MessageWriter writer() {
        return writer;
    }

    /** Sends the request built in {@link #writer()} and waits for the kernel's ack. */
    public synchronized void request(String description) {
        int mySeq = send(Rtnl.NLM_F_ACK);
        while (true) {
            int n = receive();
            for (int pos = 0; pos + Rtnl.NLMSG_HDRLEN <= n;) {
                int len = recv.getInt(pos);
                if (len < Rtnl.NLMSG_HDRLEN || pos + len > n) {
                    break;
                }
                if (recv.getInt(pos + 8) == mySeq && (recv.getShort(pos + 4) & 0xffff) == Rtnl.NLMSG_ERROR) {
                    throwIfError(pos, len, description);
                    return;
                }
                pos += align(len);
            }
        }
    }

    /** Sends the dump request built in {@link #writer()}; returns each reply message's payload. */
    public synchronized List<ByteBuffer> dump(String description) {
        ByteBuffer request = writer.finish(0);
        ByteBuffer saved = ByteBuffer.allocate(request.remaining());
        saved.put(request).flip();
        for (int attempt = 0;; attempt++) {
            List<ByteBuffer> out = new ArrayList<>();
            boolean interrupted = false;
            int mySeq = resend(saved, Rtnl.NLM_F_DUMP);
            boolean done = false;
            while (!done) {
                int n = receive();
                for (int pos = 0; pos + Rtnl.NLMSG_HDRLEN <= n;) {
                    int len = recv.getInt(pos);
                    if (len < Rtnl.NLMSG_HDRLEN || pos + len > n) {
                        break;
                    }
                    int type = recv.getShort(pos + 4) & 0xffff;
                    int flags = recv.getShort(pos + 6) & 0xffff;
                    if (recv.getInt(pos + 8) == mySeq) {
                        interrupted |= (flags & Rtnl.NLM_F_DUMP_INTR) != 0;
                        if (type == Rtnl.NLMSG_DONE) {
                            done = true;
                        } else if (type == Rtnl.NLMSG_ERROR) {
                            throwIfError(pos, len, description);
                            done = true;
                        } else {
                            ByteBuffer copy = ByteBuffer.allocate(len - Rtnl.NLMSG_HDRLEN).order(ByteOrder.nativeOrder());
                            ByteBuffer src = recv.duplicate();
                            src.limit(pos + len).position(pos + Rtnl.NLMSG_HDRLEN);
                            copy.put(src).flip();
                            out.add(copy);
                        }
                    }
                    pos += align(len);
                }
            }
            if (!interrupted) {
                return out;
            }
            if (attempt >= DUMP_RETRIES) {
                throw new NetlinkException(Errno.EINTR, "dump interrupted", null, description);
            }
        }
    }

    private int send(int extraFlags) {
        ByteBuffer msg = writer.finish(0);
        return resend(msg, extraFlags);
    }

    private int resend(ByteBuffer message, int extraFlags) {
        int mySeq = ++seq;
        ByteBuffer msg = ByteBuffer.allocateDirect(message.remaining()).order(ByteOrder.nativeOrder());
        msg.put(message.duplicate()).flip();
        msg.putShort(6, (short) (msg.getShort(6) | extraFlags));
        msg.putInt(8, mySeq);
        Native.check(Native.C.sendto(fd, msg, msg.remaining(), 0, null, 0), "sendto netlink");
        return mySeq;
    }

    private int receive() {
        msghdr.putInt(48, 0);
        long n = Native.C.recvmsg(fd, msghdr, 0);
        if (n < 0) {
            int errno = Native.errno();
            throw new NetlinkException(errno, Native.C.strerror(errno), null,
                    errno == Errno.ENOBUFS ? "netlink receive (replies lost, state unknown)" : "netlink receive");
        }
        if ((msghdr.getInt(48) & Rtnl.MSG_TRUNC) != 0) {
            throw new NetlinkException(Errno.ENOBUFS, "reply truncated", null, "netlink receive");
        }
        recv.clear();
        recv.limit((int) n);
        return (int) n;
    }

    private void throwIfError(int pos, int len, String description) {
        int error = recv.getInt(pos + Rtnl.NLMSG_HDRLEN);
        if (error == 0) {
            return;
        }
        int flags = recv.getShort(pos + 6) & 0xffff;
        String extAck = null;
        if ((flags & Rtnl.NLM_F_ACK_TLVS) != 0) {
            int echoed = (flags & Rtnl.NLM_F_CAPPED) != 0 ? Rtnl.NLMSG_HDRLEN : recv.getInt(pos + 20);
            int from = pos + Rtnl.NLMSG_HDRLEN + 4 + align(echoed);
            if (from < pos + len) {
                extAck = Attributes.parse(recv, from, pos + len).string(Rtnl.NLMSGERR_ATTR_MSG);
            }
        }
        throw new NetlinkException(-error, Native.C.strerror(-error), extAck, description);
    }

    static int align(int len) {
        return (len + 3) & ~3;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Native.C.close(fd);
        }
    }
}
