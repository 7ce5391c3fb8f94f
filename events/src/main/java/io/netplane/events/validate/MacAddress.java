package io.netplane.events.validate;

import java.util.regex.Pattern;

/**
 * A container interface's MAC address ({@code docker run --mac-address}, CNI's {@code MAC=}): six
 * hex pairs separated by colons, unicast and not all zero, since the kernel refuses any other on
 * a veth. Docker's words for one it cannot parse.
 */
public final class MacAddress {

    private static final Pattern SIX_PAIRS = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");

    private MacAddress() {
    }

    /** The address in lower case, as the kernel reports it. */
    public static String check(String mac) {
        if (mac == null || !SIX_PAIRS.matcher(mac).matches()) {
            throw new InvalidValueException(Shown.of(mac) + " is not a valid mac address");
        }
        String lower = mac.toLowerCase(java.util.Locale.ROOT);
        if ((Integer.parseInt(lower.substring(0, 2), 16) & 1) != 0) {
            throw new InvalidValueException(lower + " is not a valid mac address: it is a multicast address;"
                    + " a container's interface needs a unicast one (first byte even)");
        }
        if ("00:00:00:00:00:00".equals(lower)) {
            throw new InvalidValueException(lower + " is not a valid mac address: it is all zero");
        }
        return lower;
    }
}
