package io.netplane.agent.support;

/** Closes what a test made, in the order given, skipping what was never made (null). */
public final class Closing {

    private Closing() {
    }

    public static void all(AutoCloseable... made) throws Exception {
        for (AutoCloseable c : made) {
            if (c != null) {
                c.close();
            }
        }
    }
}
