package io.netplane.events.validate;

import java.util.Collection;

/** Bounds on how many of a thing one request may carry, so that every event stays far below the broker's limit. */
public final class Count {

    public static final int MAX_NETWORKS = 32;
    public static final int MAX_ALIASES = 32;
    public static final int MAX_LINKS = 32;
    public static final int MAX_PORTS = 256;
    public static final int MAX_SUBNETS = 16;

    private Count() {
    }

    /** {@code what} is the plural shown in the message, e.g. "aliases". */
    public static <T extends Collection<?>> T atMost(T items, int max, String what) {
        if (items != null && items.size() > max) {
            throw new InvalidValueException("too many " + what + ": " + items.size() + ", at most " + max);
        }
        return items;
    }
}
