package io.netplane.events.validate;

/**
 * An IPv4 address in strict dotted-quad form: four decimal octets of 0..255, nothing around them
 * (no spaces, hostnames or shorthand), so {@code 999.1.1.1} and {@code "1.2.3.4\n"} are refused.
 */
public final class Ipv4Address {

    private Ipv4Address() {
    }

    /** The address as an unsigned 32-bit value, or null when the text is not one. */
    public static Long parse(String text) {
        if (text == null || text.length() > 15) {
            return null;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                return null;
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return null;
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    /** A published port's host address, refused in Docker's words ({@code invalid IP address: 999.1.1.1}). */
    public static String checkHostIp(String hostIp) {
        if (parse(hostIp) == null) {
            throw new InvalidValueException("invalid IP address: " + Shown.of(hostIp));
        }
        return hostIp;
    }
}
