package io.netplane.ipam.api;

import io.netplane.events.validate.InvalidValueException;
import io.netplane.events.validate.Shown;
import java.time.Duration;

/** The {@code ?timeout=} of a {@code ?wait=true} request: whole seconds, checked where it enters. */
final class WaitTimeout {

    /**
     * A healthy agent applies an endpoint within a few seconds; a minute covers a slow host and
     * stays below the idle timeouts of common proxies, and a waiting request holds a worker thread
     * for at most this long.
     */
    static final int MAX_SECONDS = 60;

    private WaitTimeout() {
    }

    /** {@code null} (not given) is the maximum. */
    static Duration parse(String raw) {
        if (raw == null) {
            return Duration.ofSeconds(MAX_SECONDS);
        }
        try {
            int seconds = Integer.parseInt(raw.strip());
            if (seconds >= 0 && seconds <= MAX_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException notANumber) {
            // refused below, with the same words as a number out of range
        }
        throw new InvalidValueException("invalid timeout \"" + Shown.of(raw) + "\""
                + ": must be a whole number of seconds from 0 to " + MAX_SECONDS);
    }
}
