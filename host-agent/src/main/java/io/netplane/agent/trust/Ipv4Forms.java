package io.netplane.agent.trust;

import io.netplane.events.validate.Ipv4Address;

/** The IPv4 forms records carry: an address, an address with its prefix ("a.b.c.d/n"), or either. */
public final class Ipv4Forms {

    private Ipv4Forms() {
    }

    public static boolean address(String text) {
        return Ipv4Address.parse(text) != null;
    }

    /** "a.b.c.d/n" with n of 0 to 32. */
    public static boolean cidr(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0 || !address(text.substring(0, slash))) {
            return false;
        }
        String prefix = text.substring(slash + 1);
        return prefix.matches("[0-9]|[12][0-9]|3[0-2]");
    }

    public static boolean addressOrCidr(String text) {
        return text != null && (text.contains("/") ? cidr(text) : address(text));
    }
}
