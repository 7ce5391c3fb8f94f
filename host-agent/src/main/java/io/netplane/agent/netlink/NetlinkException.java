package io.netplane.agent.netlink;

/**
 * A refusal by the kernel: errno (with its symbolic name), libc's description, the kernel's
 * extended-ack message if it gave one, and what was asked.
 */
public class NetlinkException extends RuntimeException {

    private final int errno;
    private final String kernelMessage;

    public NetlinkException(int errno, String description, String kernelMessage, String request) {
        super(request + ": " + Errno.name(errno) + " (" + description + ")"
                + (kernelMessage == null || kernelMessage.isEmpty() ? "" : ": " + kernelMessage));
        this.errno = errno;
        this.kernelMessage = kernelMessage;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Errno.name(errno);
    }

    public String kernelMessage() {
        return kernelMessage;
    }

    public boolean isExists() {
        return errno == Errno.EEXIST;
    }

    public boolean isNotFound() {
        return errno == Errno.ENOENT || errno == Errno.ENODEV || errno == Errno.ESRCH;
    }
}
