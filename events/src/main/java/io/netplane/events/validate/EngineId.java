package io.netplane.events.validate;

import java.util.regex.Pattern;

/** An id a container engine gave (a Docker container, network or endpoint id): 64 lowercase hex digits. */
public final class EngineId {

    private static final Pattern VALID = Pattern.compile("[0-9a-f]{64}");

    private EngineId() {
    }

    public static String check(String id, String what) {
        if (id == null || !VALID.matcher(id).matches()) {
            throw new InvalidValueException("invalid " + what + " id " + Shown.of(id)
                    + ": a container engine's id is 64 lowercase hex digits");
        }
        return id;
    }
}
