package io.netplane.events.validate;

/**
 * The id of a host: a name as Docker's ({@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}), at most {@value #MAX}
 * characters. It prefixes namespace names on that host, so it can never be a path.
 */
public final class HostId {

    public static final int MAX = 63;

    private HostId() {
    }

    public static String check(String hostId) {
        if (hostId == null || hostId.isBlank()) {
            throw new InvalidValueException("hostId is required: name the host the container runs on");
        }
        if (!NameRule.restricted(hostId, MAX)) {
            throw new InvalidValueException("invalid host id \"" + Shown.of(hostId) + "\": only "
                    + NameRule.RESTRICTED_CHARS + " are allowed, at most " + MAX + " characters");
        }
        return hostId;
    }
}
