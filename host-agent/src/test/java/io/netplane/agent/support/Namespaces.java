package io.netplane.agent.support;

import static org.junit.jupiter.api.Assertions.fail;

import io.netplane.agent.netns.NamespaceManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Uniquely named namespaces for one test, all removed by {@link #close()} (call it from
 * {@code @AfterEach}, so also on failure). Tests need root, and fail
 * without it rather than skip, so a green build means the kernel tests ran.
 */
public final class Namespaces implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final String prefix = "npt" + Long.toString(ProcessHandle.current().pid() % 100000, 36);
    private final List<String> made = new ArrayList<>();
    private final NamespaceManager manager;

    public Namespaces(NamespaceManager manager) {
        this.manager = manager;
    }

    public static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("this test needs root: it makes network namespaces, veths and routes in the kernel;"
                    + " run the build as root; it is never skipped");
        }
    }

    /** A fresh unique name (not created). */
    public String name(String role) {
        String n = prefix + COUNTER.incrementAndGet() + role;
        made.add(n);
        return n;
    }

    /** Creates a fresh namespace and returns its name. */
    public String create(String role) {
        String n = name(role);
        manager.create(n);
        return n;
    }

    /** Marks a name made by someone else (an agent under test) for removal too. */
    public void adopt(String name) {
        made.add(name);
    }

    @Override
    public void close() {
        for (String n : made) {
            try {
                manager.remove(n);
            } catch (RuntimeException e) {
                Shell.run("ip", "netns", "del", n);
            }
            Shell.run("rm", "-rf", "/etc/netns/" + n, "/run/netplane/sandbox-owners/" + n);
        }
        made.clear();
    }
}
