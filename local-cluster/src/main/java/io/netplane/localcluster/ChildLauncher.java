package io.netplane.localcluster;

import java.io.IOException;
import java.io.InputStream;

/**
 * Main class of every child JVM that netplane's tooling starts (the Kafka broker, the services of
 * `netplane up` and of the end-to-end tests): runs the real main class named first, and exits as
 * soon as the parent goes away (its end of our stdin closes), so a killed test run or a Ctrl-C
 * never leaves a process behind.
 */
public final class ChildLauncher {
    private ChildLauncher() {
    }

    /** The jar or classes directory holding this class, to put on a child's classpath. */
    public static String location() {
        try {
            return java.nio.file.Path.of(ChildLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // the parent never writes; read() returns -1 when it is gone
                }
            } catch (IOException ignored) {
                // parent gone as well
            }
            Runtime.getRuntime().halt(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Class.forName(args[0]).getMethod("main", String[].class)
                .invoke(null, (Object) java.util.Arrays.copyOfRange(args, 1, args.length));
    }
}
