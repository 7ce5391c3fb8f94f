package io.netplane.agent.netlink;

import java.util.HexFormat;

/** IPv4 and MAC text <-> raw network-order bytes, without any name lookup. */
public final class Ip {

    private Ip() {
    }

    public static byte[] v4(String dotted) {
        String[] parts = dotted.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(parts[i]);
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            out[i] = (byte) v;
        }
        return out;
    }

    public static String v4(byte[] raw) {
        if (raw == null || raw.length != 4) {
            return null;
        }
        return (raw[0] & 0xff) + "." + (raw[1] & 0xff) + "." + (raw[2] & 0xff) + "." + (raw[3] & 0xff);
    }

    public static byte[] mac(String text) {
        byte[] out = HexFormat.ofDelimiter(":").parseHex(text.toLowerCase());
        if (out.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        return out;
    }

    public static String mac(byte[] raw) {
        return raw == null ? null : HexFormat.ofDelimiter(":").formatHex(raw);
    }

    /** "172.18.0.2/16" split into address and prefix length. */
    public record Cidr(String address, int prefixLength) {
        public static Cidr parse(String cidr) {
            int slash = cidr.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("not CIDR notation: " + cidr);
            }
            int prefix = Integer.parseInt(cidr.substring(slash + 1));
            if (prefix < 0 || prefix > 32) {
                throw new IllegalArgumentException("bad prefix length in " + cidr);
            }
            String address = cidr.substring(0, slash);
            v4(address);
            return new Cidr(address, prefix);
        }

        @Override
        public String toString() {
            return address + "/" + prefixLength;
        }
    }
}
