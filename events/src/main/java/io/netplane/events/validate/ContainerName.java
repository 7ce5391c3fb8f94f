package io.netplane.events.validate;

import java.util.regex.Pattern;

/**
 * A container name: Docker's {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+} (two characters at least), at most
 * {@value #MAX}. With the host id it names the agent's namespace file, so it can never be a path.
 */
public final class ContainerName {

    public static final int MAX = 128;
    private static final Pattern VALID = Pattern.compile(NameRule.RESTRICTED_CHARS + "+");

    private ContainerName() {
    }

    public static String check(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new InvalidValueException("Invalid container name (" + Shown.of(name) + "), only "
                    + NameRule.RESTRICTED_CHARS + " are allowed");
        }
        if (name.length() > MAX) {
            throw new InvalidValueException("Invalid container name (" + Shown.of(name) + "): at most " + MAX
                    + " characters");
        }
        return name;
    }
}
