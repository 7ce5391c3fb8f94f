package io.netplane.agent.netlink;

import java.nio.ByteBuffer;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** The few libc calls netplane needs: netlink sockets, namespaces and bind mounts. */
public interface LibC {
    int socket(int domain, int type, int protocol);

    int bind(int fd, @In ByteBuffer addr, int len);

    int getsockname(int fd, @Out ByteBuffer addr, @In @Out ByteBuffer len);

    int setsockopt(int fd, int level, int name, @In ByteBuffer value, int len);

    @ssize_t
    long sendto(int fd, @In ByteBuffer buf, @size_t long len, int flags, Pointer addr, int addrLen);

    @ssize_t
    long recvmsg(int fd, Pointer msghdr, int flags);

    int close(int fd);

    int open(String path, int flags);

    int setns(int fd, int nstype);

    int unshare(int flags);

    int sethostname(String name, @size_t long len);

    int mount(String source, String target, String fsType, long flags, Pointer data);

    int umount2(String target, int flags);

    String strerror(int errno);
}
