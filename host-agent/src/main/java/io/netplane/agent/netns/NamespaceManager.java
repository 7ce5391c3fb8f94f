package io.netplane.agent.netns;

import io.netplane.agent.netlink.LibC;
import io.netplane.agent.netlink.Native;
import io.netplane.agent.netlink.Rtnl;
import io.netplane.agent.netlink.RtNetlink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Named network namespaces (created as {@code ip netns add} does: a bind mount of a fresh
 * namespace on /var/run/netns/NAME), each with its UTS namespace bound the same way at
 * /run/netplane/uts/NAME, and work inside any network namespace. Work runs on one dedicated
 * platform thread that enters the target with setns and always returns to the agent's own
 * namespace; sockets opened there keep that namespace. The thread never starts pools or
 * processes, so nothing else inherits a foreign namespace.
 */
public final class NamespaceManager implements AutoCloseable {

    public static final Path RUN_DIR = Path.of("/var/run/netns");
    /** Where UTS namespaces of sandboxes are bound, as /var/run/netns holds their network namespaces. */
    public static final Path UTS_DIR = Path.of("/run/netplane/uts");
    private static final int CLONE_NEWUTS = 0x04000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final long MS_BIND = 4096;
    private static final long MS_REC = 16384;
    private static final long MS_SHARED = 1 << 20;
    private static final int MNT_DETACH = 2;

    private final ExecutorService switcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "netns-switcher");
        t.setDaemon(true);
        return t;
    });
    private final int ownNamespaceFd;
    private final int ownUtsFd;
    private final Set<Path> sharedDirs = new HashSet<>();

    public NamespaceManager() {
        ownNamespaceFd = onSwitcher(() -> Native.check(Native.C.open("/proc/thread-self/ns/net", O_RDONLY_CLOEXEC),
                "open own network namespace"));
        ownUtsFd = onSwitcher(() -> Native.check(Native.C.open("/proc/thread-self/ns/uts", O_RDONLY_CLOEXEC),
                "open own UTS namespace"));
    }

    /** Path of a named namespace. */
    public static Path pathOf(String name) {
        return RUN_DIR.resolve(name);
    }

    /** Path of the UTS namespace that goes with the named network namespace. */
    public static Path utsPathOf(String name) {
        return UTS_DIR.resolve(name);
    }

    public boolean exists(String name) {
        return Files.exists(pathOf(name));
    }

    public boolean utsExists(String name) {
        return Files.exists(utsPathOf(name));
    }

    /** Names under /var/run/netns. */
    public List<String> list() {
        return names(RUN_DIR);
    }

    /** Names under /run/netplane/uts. */
    public List<String> listUts() {
        return names(UTS_DIR);
    }

    private static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The empty file a namespace is bound on, in its shared folder; fails if it exists. */
    private Path newNamespaceFile(Path dir, Path path) {
        try {
            Files.createDirectories(dir);
            share(dir);
            Files.createFile(path);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create namespace file " + path, e);
        }
    }

    /** Creates /var/run/netns/NAME holding a new network namespace; fails if it exists. */
    public synchronized Path create(String name) {
        Path path = newNamespaceFile(RUN_DIR, pathOf(name));
        try {
            onSwitcher(() -> {
                LibC c = Native.C;
                Native.check(c.unshare(Rtnl.CLONE_NEWNET), "unshare(CLONE_NEWNET)");
                try {
                    Native.check(c.mount("/proc/thread-self/ns/net", path.toString(), "none", MS_BIND, null),
                            "bind mount namespace on " + path);
                } finally {
                    Native.check(c.setns(ownNamespaceFd, Rtnl.CLONE_NEWNET), "return to own namespace");
                }
                return null;
            });
        } catch (RuntimeException e) {
            path.toFile().delete();
            throw e;
        }
        return path;
    }

    /**
     * Creates /run/netplane/uts/NAME holding a new UTS namespace whose hostname is {@code hostname}
     * (`ip netns exec` leaves UTS alone; enter it with {@code nsenter --uts=PATH}); fails if it exists.
     */
    public synchronized Path createUts(String name, String hostname) {
        Path path = newNamespaceFile(UTS_DIR, utsPathOf(name));
        try {
            onSwitcher(() -> {
                LibC c = Native.C;
                Native.check(c.unshare(CLONE_NEWUTS), "unshare(CLONE_NEWUTS)");
                try {
                    Native.check(c.sethostname(hostname, hostname.getBytes(StandardCharsets.UTF_8).length),
                            "sethostname " + hostname);
                    Native.check(c.mount("/proc/thread-self/ns/uts", path.toString(), "none", MS_BIND, null),
                            "bind mount namespace on " + path);
                } finally {
                    Native.check(c.setns(ownUtsFd, CLONE_NEWUTS), "return to own UTS namespace");
                }
                return null;
            });
        } catch (RuntimeException e) {
            path.toFile().delete();
            throw e;
        }
        return path;
    }

    /** Unmounts and deletes a named namespace and its UTS namespace; the kernel frees them when nothing holds them. */
    public synchronized void remove(String name) {
        unbind(pathOf(name));
        unbind(utsPathOf(name));
    }

    private static void unbind(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        Native.C.umount2(path.toString(), MNT_DETACH);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code work} with the switcher thread inside the namespace at {@code path} (null: own). */
    public <T> T inNamespace(Path path, Callable<T> work) {
        if (path == null) {
            return onSwitcher(work);
        }
        return onSwitcher(() -> {
            LibC c = Native.C;
            int fd = Native.check(c.open(path.toString(), O_RDONLY_CLOEXEC), "open namespace " + path);
            try {
                Native.check(c.setns(fd, Rtnl.CLONE_NEWNET), "setns " + path);
                try {
                    return work.call();
                } finally {
                    Native.check(c.setns(ownNamespaceFd, Rtnl.CLONE_NEWNET), "return to own namespace");
                }
            } finally {
                c.close(fd);
            }
        });
    }

    /** An rtnetlink socket living in the namespace at {@code path} (null: own). */
    public RtNetlink rtnetlink(Path path) {
        return inNamespace(path, RtNetlink::open);
    }

    /** An open fd of a namespace, for IFLA_NET_NS_FD; the caller closes it with {@link #closeFd}. */
    public int openFd(Path path) {
        return Native.check(Native.C.open(path.toString(), O_RDONLY_CLOEXEC), "open namespace " + path);
    }

    public void closeFd(int fd) {
        Native.C.close(fd);
    }

    /** Like ip(8) with /var/run/netns: a shared mount, so namespaces bound there appear in other mount namespaces. */
    private void share(Path path) {
        if (sharedDirs.contains(path)) {
            return;
        }
        LibC c = Native.C;
        String dir = path.toString();
        if (c.mount("", dir, "none", MS_SHARED | MS_REC, null) != 0) {
            Native.check(c.mount(dir, dir, "none", MS_BIND | MS_REC, null), "bind mount " + dir);
            Native.check(c.mount("", dir, "none", MS_SHARED | MS_REC, null), "make " + dir + " shared");
        }
        sharedDirs.add(path);
    }

    private <T> T onSwitcher(Callable<T> work) {
        try {
            return switcher.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while working in a namespace", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        switcher.shutdownNow();
        Native.C.close(ownNamespaceFd);
        Native.C.close(ownUtsFd);
    }

}
