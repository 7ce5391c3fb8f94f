package io.netplane.dns.server;

import java.util.Locale;

/** {@code netplane.dns.udp-batch}: whether the UDP loops receive and send in batches (Linux only). */
public enum UdpBatch {
    /** {@code recvmmsg}/{@code sendmmsg} where the kernel and libc have them, else one datagram per call. */
    AUTO,
    /** One {@code recvfrom} and one {@code sendto} per query through Java's DatagramChannel. */
    OFF;

    public static UdpBatch parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
