package io.netplane.agent.dns;

import io.netplane.events.DnsIdentity;
import io.netplane.events.validate.Ipv4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Where dns-service listens, and the key shared with it that the stubs sign each asker's identity with. */
public record DnsServiceLink(InetSocketAddress address, DnsIdentity key) {

    /**
     * Where the host's stub for Docker's containers listens (port 53, in the host's namespace): the
     * address each Docker engine of the host has as its upstream DNS (daemon.json {@code "dns"}).
     */
    public static final String DOCKER_DNS_PROPERTY = "netplane.agent.docker.dns-address";

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

    /**
     * The address {@value #DOCKER_DNS_PROPERTY} names, checked before anything starts.
     *
     * @param service dns-service, which the host's stub asks (null when not configured)
     * @throws IllegalArgumentException saying what is wrong and how to fix it
     */
    public static InetAddress dockerDnsAddress(String text, DnsServiceLink service) {
        if (service == null) {
            throw new IllegalArgumentException(DOCKER_DNS_PROPERTY + " is set but netplane.agent.dns-service is not:"
                    + " the host's DNS stub answers Docker's containers by asking dns-service as them; set"
                    + " netplane.agent.dns-service (and " + DnsIdentity.KEY_PROPERTY + ") or unset "
                    + DOCKER_DNS_PROPERTY);
        }
        String shown = text == null ? "" : text;
        Long value = Ipv4Address.parse(shown);
        if (value == null) {
            throw new IllegalArgumentException(DOCKER_DNS_PROPERTY + " must be an IPv4 address such as 192.0.2.1 (the"
                    + " host's underlay address, which daemon.json names under \"dns\"), not \"" + shown + "\"");
        }
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) (long) value};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }
}
