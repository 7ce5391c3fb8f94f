package io.netplane.events.validate;

import java.util.Locale;
import java.util.Set;

/** A port's protocol: tcp (when none is given), udp or sctp, as Docker accepts, in lower case. */
public final class Protocol {

    private static final Set<String> KNOWN = Set.of("tcp", "udp", "sctp");

    private Protocol() {
    }

    public static String check(String protocol) {
        if (protocol == null || protocol.isEmpty()) {
            return "tcp";
        }
        String p = protocol.toLowerCase(Locale.ROOT);
        if (!KNOWN.contains(p)) {
            throw new InvalidValueException("invalid proto: " + Shown.of(protocol));
        }
        return p;
    }
}
