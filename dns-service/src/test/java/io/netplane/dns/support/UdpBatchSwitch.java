package io.netplane.dns.support;

import io.netplane.dns.server.UdpBatch;

/**
 * The {@code netplane.dns.udp-batch} the suite runs with: the Quarkus tests read it from the
 * system property like any config, and tests that start a {@code DnsServer} themselves ask here.
 * {@code -DargLine=-Dnetplane.dns.udp-batch=off} runs the whole suite on the fallback loop.
 */
public final class UdpBatchSwitch {

    private UdpBatchSwitch() {
    }

    public static UdpBatch configured() {
        return UdpBatch.parse(System.getProperty("netplane.dns.udp-batch", "auto"));
    }
}
