package io.netplane.events.validate;

import java.util.regex.Pattern;

/** The character rule Docker applies to the names of its objects (libnetwork's restrictedNameChars). */
final class NameRule {

    static final String RESTRICTED_CHARS = "[a-zA-Z0-9][a-zA-Z0-9_.-]";
    static final Pattern RESTRICTED = Pattern.compile(RESTRICTED_CHARS + "*");

    private NameRule() {
    }

    static boolean restricted(String value, int max) {
        return value != null && !value.isEmpty() && value.length() <= max && RESTRICTED.matcher(value).matches();
    }
}
