package io.netplane.nat.rules;

/**
 * A bridge network as the firewall of one host sees it: its device, its IPv4 subnet and the
 * options that change its rules ({@code --internal}, {@code enable_icc}, {@code enable_ip_masquerade}).
 */
public record BridgeNetwork(String networkId, String bridge, String subnet, boolean internal, boolean icc,
        boolean masquerade) {
}
