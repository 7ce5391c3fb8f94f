package io.netplane.nat.store;

/** A network as stored: revision, whether removed, and what a bridge's rules need. */
public record NetworkRow(String networkId, long revision, boolean removed, String name, String driver, String bridge,
        String subnet, boolean internal, boolean icc, boolean masquerade) {
}
