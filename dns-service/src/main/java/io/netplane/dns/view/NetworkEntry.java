package io.netplane.dns.view;

/** What the DNS view needs of a network: its name (for {@code name.network}) and whether it spans hosts. */
public record NetworkEntry(String networkId, String name, boolean global) {

    static final String GLOBAL_SCOPE = "global";
    static final String OVERLAY_DRIVER = "overlay";
}
