package io.netplane.console.web;

import io.netplane.events.validate.InvalidValueException;
import io.netplane.events.validate.Shown;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The {@code at} of a time-travel request: an ISO-8601 instant, or absent for now. */
final class Moment {

    private Moment() {
    }

    static Instant parse(String at) {
        try {
            return Instant.parse(at.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidValueException("invalid moment \"" + Shown.of(at)
                    + "\": give an ISO-8601 instant in UTC, such as 2026-12-03T13:40:05Z");
        }
    }
}
