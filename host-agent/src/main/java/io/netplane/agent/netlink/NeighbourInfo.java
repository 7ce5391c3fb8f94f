package io.netplane.agent.netlink;

/**
 * A neighbour (family AF_INET: ip to mac) or a bridge FDB entry (family AF_BRIDGE: mac, and in
 * {@code ip} the remote VTEP for a vxlan device).
 */
public record NeighbourInfo(int family, int index, String ip, String mac, int state, int flags) {
    public boolean permanent() {
        return (state & Rtnl.NUD_PERMANENT) != 0;
    }
}
