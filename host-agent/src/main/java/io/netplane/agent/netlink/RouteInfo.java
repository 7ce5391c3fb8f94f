package io.netplane.agent.netlink;

/** An IPv4 route of the main table; {@code destination} null means the default route. */
public record RouteInfo(String destination, int prefixLength, String gateway, int outIndex, int protocol) {
    public boolean isDefault() {
        return destination == null && prefixLength == 0;
    }
}
