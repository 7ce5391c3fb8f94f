package io.netplane.nat.ports;

/** An inclusive range of ports; {@link #DYNAMIC} is Linux's default ip_local_port_range, as Docker uses. */
public record PortRange(int from, int to) {
    public static final PortRange DYNAMIC = new PortRange(32768, 60999);
}
