package io.netplane.ipam.address;

import io.netplane.events.validate.Ipv4Address;

/** IPv4 addresses as unsigned 32-bit values held in a long, and their dotted form. */
public final class Ipv4 {

    private Ipv4() {
    }

    /**
     * Parses dotted-quad form strictly (no hostnames, shorthand or surrounding spaces); null when it
     * is not one. The rule is the shared validator's, so the API and nat-service agree.
     */
    public static Long parse(String text) {
        return Ipv4Address.parse(text);
    }

    public static String format(long value) {
        return ((value >> 24) & 0xff) + "." + ((value >> 16) & 0xff) + "." + ((value >> 8) & 0xff) + "." + (value & 0xff);
    }

    /** Docker's MAC for an IPv4 endpoint: 02:42 followed by the four address bytes. */
    public static String mac(long address) {
        return String.format("02:42:%02x:%02x:%02x:%02x", (address >> 24) & 0xff, (address >> 16) & 0xff,
                (address >> 8) & 0xff, address & 0xff);
    }
}
