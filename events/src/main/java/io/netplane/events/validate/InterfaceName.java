package io.netplane.events.validate;

/**
 * A Linux interface name such as a bridge's ({@code com.docker.network.bridge.name}): 1 to 15
 * bytes (IFNAMSIZ less the NUL), printable ASCII without '/', ':' or spaces, and not "." or "..",
 * as the kernel's dev_valid_name and netavark require. It is written into iptables-restore text
 * and /proc/sys paths, so nothing else may pass.
 */
public final class InterfaceName {

    public static final int MAX = 15;

    private InterfaceName() {
    }

    /** {@code what} names the value in the message, e.g. the option that gave it. */
    public static String check(String name, String what) {
        if (name == null || name.isEmpty() || name.length() > MAX) {
            throw invalid(name, what, "a Linux interface name has 1 to " + MAX + " characters");
        }
        if (name.equals(".") || name.equals("..")) {
            throw invalid(name, what, "a Linux interface name cannot be \".\" or \"..\"");
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch <= ' ' || ch > '~' || ch == '/' || ch == ':') {
                throw invalid(name, what,
                        "a Linux interface name holds printable ASCII characters other than '/', ':' and spaces");
            }
        }
        return name;
    }

    private static InvalidValueException invalid(String name, String what, String why) {
        return new InvalidValueException("invalid " + what + " \"" + Shown.of(name) + "\": " + why);
    }
}
