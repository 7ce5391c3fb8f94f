package io.netplane.ipam.address;

/**
 * An IPv4 block: the address as written and its prefix length. {@link #isCanonical()} tells
 * whether host bits are set (Docker refuses "10.1.2.3/16" and says it should be "10.1.0.0/16").
 */
public record Cidr(long address, int prefix) {

    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix " + prefix);
        }
    }

    /** Parses "a.b.c.d/n"; null when the text is not IPv4 CIDR. */
    public static Cidr parse(String text) {
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return null;
        }
        Long address = Ipv4.parse(text.substring(0, slash));
        String len = text.substring(slash + 1);
        if (address == null || len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int prefix = Integer.parseInt(len);
        return prefix > 32 ? null : new Cidr(address, prefix);
    }

    public long mask() {
        return prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    }

    public long first() {
        return address & mask();
    }

    public long last() {
        return first() | (~mask() & 0xffffffffL);
    }

    public long size() {
        return 1L << (32 - prefix);
    }

    public boolean isCanonical() {
        return address == first();
    }

    public Cidr canonical() {
        return new Cidr(first(), prefix);
    }

    public boolean contains(long ip) {
        return ip >= first() && ip <= last();
    }

    public boolean contains(Cidr other) {
        return other.prefix >= prefix && contains(other.first());
    }

    public boolean overlaps(Cidr other) {
        return first() <= other.last() && other.first() <= last();
    }

    /** The first address containers may get: the network address is reserved except in /31 and /32. */
    public long firstUsable() {
        return prefix >= 31 ? first() : first() + 1;
    }

    /** The last address containers may get: the broadcast address is reserved except in /31 and /32. */
    public long lastUsable() {
        return prefix >= 31 ? last() : last() - 1;
    }

    @Override
    public String toString() {
        return Ipv4.format(address) + "/" + prefix;
    }
}
