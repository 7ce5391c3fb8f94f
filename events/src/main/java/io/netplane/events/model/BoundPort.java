package io.netplane.events.model;

/**
 * A port a process of the host itself holds (tcp listening, udp bound) on {@code address}
 * (0.0.0.0: every IPv4 address, which a dual-stack [::] socket also takes). Docker's docker-proxy
 * cannot bind such a port, so Docker refuses to publish it; nat-service does the same.
 */
public record BoundPort(String protocol, String address, int port) {
}
