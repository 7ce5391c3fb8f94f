package io.netplane.agent.netlink;

import java.nio.ByteBuffer;

/** Parses rtnetlink dump replies (payload after the nlmsghdr) into the typed model. */
final class Codecs {

    private static final int IFINFOMSG = 16;
    private static final int IFADDRMSG = 8;
    private static final int RTMSG = 12;
    private static final int NDMSG = 12;

    private Codecs() {
    }

    static LinkInfo link(ByteBuffer m) {
        int index = m.getInt(4);
        int flags = m.getInt(8);
        Attributes a = Attributes.parse(m, IFINFOMSG, m.limit());
        Attributes info = a.nested(Rtnl.IFLA_LINKINFO);
        String kind = info.string(Rtnl.IFLA_INFO_KIND);
        int vni = 0;
        String local = null;
        int port = 0;
        boolean learning = false;
        if ("vxlan".equals(kind)) {
            Attributes data = info.nested(Rtnl.IFLA_INFO_DATA);
            vni = data.u32(Rtnl.IFLA_VXLAN_ID, 0);
            local = Ip.v4(data.bytes(Rtnl.IFLA_VXLAN_LOCAL));
            port = data.be16(Rtnl.IFLA_VXLAN_PORT, 0);
            learning = data.u8(Rtnl.IFLA_VXLAN_LEARNING, 0) != 0;
        }
        return new LinkInfo(index, a.string(Rtnl.IFLA_IFNAME), kind, flags, a.u32(Rtnl.IFLA_MTU, 0),
                a.u32(Rtnl.IFLA_MASTER, 0), a.u32(Rtnl.IFLA_GROUP, 0), Ip.mac(a.bytes(Rtnl.IFLA_ADDRESS)), vni, local, port, learning);
    }

    static AddressInfo address(ByteBuffer m) {
        int family = m.get(0) & 0xff;
        if (family != Rtnl.AF_INET) {
            return null;
        }
        int prefix = m.get(1) & 0xff;
        int index = m.getInt(4);
        Attributes a = Attributes.parse(m, IFADDRMSG, m.limit());
        byte[] local = a.has(Rtnl.IFA_LOCAL) ? a.bytes(Rtnl.IFA_LOCAL) : a.bytes(Rtnl.IFA_ADDRESS);
        return new AddressInfo(index, Ip.v4(local), prefix);
    }

    static RouteInfo route(ByteBuffer m) {
        int family = m.get(0) & 0xff;
        int dstLen = m.get(1) & 0xff;
        int table = m.get(4) & 0xff;
        int protocol = m.get(5) & 0xff;
        int type = m.get(7) & 0xff;
        Attributes a = Attributes.parse(m, RTMSG, m.limit());
        table = a.u32(Rtnl.RTA_TABLE, table);
        if (family != Rtnl.AF_INET || table != Rtnl.RT_TABLE_MAIN || type != Rtnl.RTN_UNICAST) {
            return null;
        }
        return new RouteInfo(Ip.v4(a.bytes(Rtnl.RTA_DST)), dstLen, Ip.v4(a.bytes(Rtnl.RTA_GATEWAY)),
                a.u32(Rtnl.RTA_OIF, 0), protocol);
    }

    static NeighbourInfo neighbour(ByteBuffer m) {
        int family = m.get(0) & 0xff;
        int index = m.getInt(4);
        int state = m.getShort(8) & 0xffff;
        int flags = m.get(10) & 0xff;
        Attributes a = Attributes.parse(m, NDMSG, m.limit());
        return new NeighbourInfo(family, index, Ip.v4(a.bytes(Rtnl.NDA_DST)), Ip.mac(a.bytes(Rtnl.NDA_LLADDR)), state,
                flags);
    }
}
