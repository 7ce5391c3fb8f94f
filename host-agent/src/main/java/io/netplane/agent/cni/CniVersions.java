package io.netplane.agent.cni;

import java.util.List;

/**
 * The CNI spec versions netplane-cni speaks; the shim's VERSION answer lists the same
 * ({@code CniShimTest} checks they agree). A result is written in the version the request gave:
 * before 1.0.0 each IP carries its {@code version}.
 */
public final class CniVersions {

    public static final List<String> SUPPORTED = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0");

    private CniVersions() {
    }

    static boolean supported(String version) {
        return SUPPORTED.contains(version);
    }

    /** 0.3.x and 0.4.0 results say "version": "4" for each IP; 1.0.0 dropped it. */
    static boolean ipsCarryVersion(String version) {
        return !"1.0.0".equals(version);
    }
}
