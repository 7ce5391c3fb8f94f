package io.netplane.agent.netlink;

/**
 * A link as the kernel reports it. {@code kind} is the IFLA_INFO_KIND (veth, bridge, vxlan) or
 * null for plain devices; {@code master} is 0 when the link has none; the vxlan fields are set
 * only for vxlan links. {@code group} is the link group (netplane tags what it creates).
 */
public record LinkInfo(int index, String name, String kind, int flags, int mtu, int master, int group, String mac,
        int vxlanId, String vxlanLocal, int vxlanPort, boolean vxlanLearning) {

    public boolean up() {
        return (flags & Rtnl.IFF_UP) != 0;
    }

    public boolean running() {
        return (flags & Rtnl.IFF_RUNNING) != 0;
    }
}
