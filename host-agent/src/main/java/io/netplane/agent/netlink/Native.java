package io.netplane.agent.netlink;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** The libc binding, loaded once, and errno read right after a failing call on the same thread. */
public final class Native {

    public static final LibC C = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(C);

    private Native() {
    }

    public static Runtime runtime() {
        return RUNTIME;
    }

    /** errno of this thread's last failing call; valid only right after a call returned -1. */
    public static int errno() {
        return RUNTIME.getLastError();
    }

    /** Throws if {@code result} is negative, naming the failed call, its errno and libc's text. */
    public static int check(long result, String what) {
        if (result < 0) {
            int errno = errno();
            throw new NetlinkException(errno, C.strerror(errno), null, what);
        }
        return (int) result;
    }
}
