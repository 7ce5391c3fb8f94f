package io.netplane.nat.rules;

/**
 * A network bridge as the firewall of one host sees it: its device, its IPv4 subnet and the
 * options that change its rules ({@code --internal}, {@code enable_icc}, {@code enable_ip_masquerade}).
 * A bridge network's bridge, or an overlay network's local bridge on a host where a container leaves
 * through it (see {@code NatStore.bridgesOfHost}): both get the same rules.
 */
public record BridgeNetwork(String networkId, String bridge, String subnet, boolean internal, boolean icc,
        boolean masquerade) {
}
