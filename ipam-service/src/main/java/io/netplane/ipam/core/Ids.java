package io.netplane.ipam.core;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Docker-style ids: 64 lowercase hex characters from 32 random bytes. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
