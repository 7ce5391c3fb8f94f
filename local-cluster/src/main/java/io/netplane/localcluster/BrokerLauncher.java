package io.netplane.localcluster;

import java.io.IOException;
import java.io.InputStream;

/**
 * Main class of the broker's child JVM: runs Kafka's own entry point, and exits as soon as the
 * parent goes away (its end of our stdin closes), so a killed test run or a Ctrl-C never leaves
 * a broker behind.
 */
public final class BrokerLauncher {
    private BrokerLauncher() {
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
