package io.netplane.events.validate;

/**
 * A DNS alias ({@code --alias}, {@code --network-alias}) or a {@code --link} alias: a name by Docker's
 * rule ({@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}), at most {@value #MAX} characters (a DNS name's bound).
 * Aliases become DNS names and /etc/hosts entries, so they never hold spaces or line breaks.
 */
public final class Alias {

    public static final int MAX = 253;

    private Alias() {
    }

    /** {@code what} names the value in the message, e.g. "alias" or "link alias". */
    public static String check(String alias, String what) {
        if (!NameRule.restricted(alias, MAX)) {
            throw new InvalidValueException("invalid " + what + " \"" + Shown.of(alias) + "\": only "
                    + NameRule.RESTRICTED_CHARS + " are allowed, at most " + MAX + " characters");
        }
        return alias;
    }
}
