package io.netplane.events.model;

/**
 * A requested published port, as written after {@code -p [ip:][hostPort:]containerPort[/proto]}.
 * Ranges use the *End fields ({@code 8000-8010:80-90}); a null hostPort asks for a free one.
 * Protocol is tcp, udp or sctp.
 */
public record PortSpec(String hostIp, Integer hostPort, Integer hostPortEnd, int containerPort, Integer containerPortEnd,
        String protocol) {
}
