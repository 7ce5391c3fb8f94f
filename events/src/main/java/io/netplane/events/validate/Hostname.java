package io.netplane.events.validate;

import java.util.regex.Pattern;

/**
 * A container's hostname, as Docker 20.10 checks it: RFC 1123 labels (letters, digits and inner
 * hyphens) joined by dots, at most {@value #MAX} characters in all, which also fits Linux's
 * HOST_NAME_MAX of 64. It is written into the sandbox's hostname and hosts files.
 */
public final class Hostname {

    public static final int MAX = 63;
    private static final Pattern RFC_1123 = Pattern.compile(
            "(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\\.)*([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])");

    private Hostname() {
    }

    public static String check(String hostname) {
        if (hostname == null || hostname.length() > MAX || !RFC_1123.matcher(hostname).matches()) {
            throw new InvalidValueException("invalid hostname format: " + Shown.of(hostname));
        }
        return hostname;
    }
}
