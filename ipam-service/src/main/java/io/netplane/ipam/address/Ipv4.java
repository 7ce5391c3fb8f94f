package io.netplane.ipam.address;

/** IPv4 addresses as unsigned 32-bit values held in a long, and their dotted form. */
public final class Ipv4 {

    private Ipv4() {
    }

    /** Parses dotted-quad form strictly (no hostnames, no shorthand); null when it is not one. */
    public static Long parse(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
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

    public static String format(long value) {
        return ((value >> 24) & 0xff) + "." + ((value >> 16) & 0xff) + "." + ((value >> 8) & 0xff) + "." + (value & 0xff);
    }

    /** Docker's MAC for an IPv4 endpoint: 02:42 followed by the four address bytes. */
    public static String mac(long address) {
        return String.format("02:42:%02x:%02x:%02x:%02x", (address >> 24) & 0xff, (address >> 16) & 0xff,
                (address >> 8) & 0xff, address & 0xff);
    }
}
