package io.netplane.events.validate;

/**
 * A network name: Docker's {@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}, at most {@value #MAX} characters
 * (Docker sets no bound; netplane needs one so every event stays small).
 */
public final class NetworkName {

    public static final int MAX = 128;

    private NetworkName() {
    }

    public static String check(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidValueException("a network needs a name");
        }
        if (!NameRule.restricted(name, Integer.MAX_VALUE)) {
            throw new InvalidValueException(Shown.of(name) + " includes invalid characters, only \""
                    + NameRule.RESTRICTED_CHARS + "\" are allowed");
        }
        if (name.length() > MAX) {
            throw new InvalidValueException("network name " + Shown.of(name) + " is too long: at most " + MAX
                    + " characters");
        }
        return name;
    }
}
