package io.netplane.dns.server;

/** How a query arrived; answers go back the same way and are sized for it. */
public enum Transport {
    UDP(512),
    TCP(65_535);

    private final int defaultMaxAnswer;

    Transport(int defaultMaxAnswer) {
        this.defaultMaxAnswer = defaultMaxAnswer;
    }

    /** Largest answer without EDNS0: 512 bytes over UDP (RFC 1035), 65,535 over TCP. */
    public int defaultMaxAnswer() {
        return defaultMaxAnswer;
    }
}
