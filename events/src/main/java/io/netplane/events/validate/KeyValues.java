package io.netplane.events.validate;

import java.util.Map;

/**
 * Labels and driver options: at most {@value #MAX_ENTRIES} entries, keys of 1 to
 * {@value #MAX_KEY} characters and values of at most {@value #MAX_VALUE}, none with control
 * characters. Docker sets no bounds; netplane needs them so that every event fits the broker.
 */
public final class KeyValues {

    public static final int MAX_ENTRIES = 32;
    public static final int MAX_KEY = 128;
    public static final int MAX_VALUE = 2048;

    private KeyValues() {
    }

    /** {@code what} names the map in messages, e.g. "label" or "option". */
    public static Map<String, String> check(Map<String, String> entries, String what) {
        if (entries == null) {
            return Map.of();
        }
        if (entries.size() > MAX_ENTRIES) {
            throw new InvalidValueException("too many " + what + "s: " + entries.size() + ", at most " + MAX_ENTRIES);
        }
        for (var e : entries.entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue();
            if (key == null || key.isEmpty() || key.length() > MAX_KEY) {
                throw new InvalidValueException("invalid " + what + " name \"" + Shown.of(key) + "\": it needs 1 to "
                        + MAX_KEY + " characters");
            }
            if (value.length() > MAX_VALUE) {
                throw new InvalidValueException(what + " " + Shown.of(key) + " is too long: at most " + MAX_VALUE
                        + " characters");
            }
            if (hasControl(key) || hasControl(value)) {
                throw new InvalidValueException("invalid " + what + " " + Shown.of(key) + "=" + Shown.of(value)
                        + ": control characters such as line breaks are not allowed");
            }
        }
        return entries;
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f);
    }
}
