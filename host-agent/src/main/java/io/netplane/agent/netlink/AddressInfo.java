package io.netplane.agent.netlink;

/** An IPv4 address on a link. */
public record AddressInfo(int index, String address, int prefixLength) {
    public String cidr() {
        return address + "/" + prefixLength;
    }
}
