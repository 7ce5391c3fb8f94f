package io.netplane.nat.store;

/** The last ruleset published for a host (revision 0 and no document before the first). */
public record HostRow(String hostId, long revision, String document) {
}
