package io.netplane.agent.dns;

import io.netplane.events.DnsIdentity;
import java.net.InetSocketAddress;

/** Where dns-service listens, and the key shared with it that the stubs sign each asker's identity with. */
public record DnsServiceLink(InetSocketAddress address, DnsIdentity key) {

    /**
     * From {@code netplane.agent.dns-service} ("host:port") and {@code netplane.dns.identity-key}.
     *
     * @throws IllegalArgumentException saying which setting is wrong and how to fix it
     */
    public static DnsServiceLink parse(String hostPort, String base64Key) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("netplane.agent.dns-service must read address:port, not " + hostPort);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("netplane.agent.dns-service must read address:port, not " + hostPort);
        }
        if (base64Key == null) {
            throw new IllegalArgumentException(DnsIdentity.KEY_PROPERTY + " is not set: with netplane.agent.dns-service"
                    + " the stubs must sign each query, or dns-service refuses them; " + DnsIdentity.howToMakeOne());
        }
        return new DnsServiceLink(new InetSocketAddress(hostPort.substring(0, colon), port),
                DnsIdentity.fromBase64(base64Key));
    }
}
