package io.netplane.dns.server;

import java.nio.ByteBuffer;
import java.util.Locale;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import org.jboss.logging.Logger;

/**
 * The libc calls of {@link BatchUdpLoop}, bound through jnr-ffi, and whether they work here.
 * Constants and struct layouts are Linux's on 64-bit machines (x86-64 and arm64 agree).
 */
final class LinuxUdp {

    private static final Logger LOG = Logger.getLogger(LinuxUdp.class);

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_REUSEPORT = 15;
    static final int MSG_DONTWAIT = 0x40;
    /** recvmmsg: block for the first datagram only, then take what is already queued. */
    static final int MSG_WAITFORONE = 0x10000;
    static final int SHUT_RDWR = 2;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;

    /** struct msghdr (56 bytes) followed by unsigned int msg_len, padded: struct mmsghdr. */
    static final int MMSGHDR = 64;
    static final int MSG_NAME = 0;
    static final int MSG_NAMELEN = 8;
    static final int MSG_IOV = 16;
    static final int MSG_IOVLEN = 24;
    static final int MSG_LEN = 56;
    static final int IOVEC = 16;
    /** sockaddr_in6; a sockaddr_in (16 bytes) fits too. */
    static final int SOCKADDR = 28;

    public interface Calls {
        int socket(int domain, int type, int protocol);

        int setsockopt(int fd, int level, int name, @In ByteBuffer value, int len);

        int bind(int fd, @In ByteBuffer addr, int len);

        int getsockname(int fd, @Out ByteBuffer addr, @In @Out ByteBuffer len);

        int recvmmsg(int fd, Pointer msgvec, int vlen, int flags, Pointer timeout);

        int sendmmsg(int fd, Pointer msgvec, int vlen, int flags);

        @ssize_t
        long sendto(int fd, @In byte[] buf, @size_t long len, int flags, @In byte[] addr, int addrLen);

        int shutdown(int fd, int how);

        int close(int fd);

        String strerror(int errno);
    }

    private static volatile LinuxUdp instance;
    private static volatile String unavailable;

    final Calls c;
    final Runtime runtime;

    private LinuxUdp(Calls c) {
        this.c = c;
        this.runtime = Runtime.getRuntime(c);
    }

    /** The binding if recvmmsg and sendmmsg work on this machine, else null with {@link #whyNot()} set. */
    static LinuxUdp load() {
        if (instance == null && unavailable == null) {
            synchronized (LinuxUdp.class) {
                if (instance == null && unavailable == null) {
                    try {
                        instance = probe();
                    } catch (RuntimeException | LinkageError e) {
                        unavailable = e.toString();
                        LOG.debugf(e, "batched UDP unavailable");
                    }
                }
            }
        }
        return instance;
    }

    static String whyNot() {
        return unavailable;
    }

    /** Loads libc and calls recvmmsg once on a fresh socket: a seccomp filter or an old kernel shows here. */
    private static LinuxUdp probe() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            throw new IllegalStateException("not Linux: " + os);
        }
        LinuxUdp udp = new LinuxUdp(LibraryLoader.create(Calls.class).failImmediately().load("c"));
        if (udp.runtime.addressSize() != 8) {
            throw new IllegalStateException("struct layouts assume a 64-bit machine");
        }
        int fd = udp.c.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw udp.error("socket");
        }
        try {
            Pointer msgs = Memory.allocateDirect(udp.runtime, MMSGHDR, true);
            if (udp.c.recvmmsg(fd, msgs, 1, MSG_DONTWAIT, null) >= 0 || udp.runtime.getLastError() != EAGAIN) {
                throw udp.error("recvmmsg on an empty socket");
            }
        } finally {
            udp.c.close(fd);
        }
        return udp;
    }

    /** errno of this thread's last failing call, as an exception naming the call. */
    IllegalStateException error(String what) {
        int errno = runtime.getLastError();
        return new IllegalStateException(what + " failed: errno " + errno + " (" + c.strerror(errno) + ")");
    }
}
