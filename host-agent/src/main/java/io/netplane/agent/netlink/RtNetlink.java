package io.netplane.agent.netlink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rtnetlink operations netplane uses, on one socket (so in one network namespace). Every
 * request waits for the kernel's ack; a refusal surfaces as {@link NetlinkException}.
 */
public final class RtNetlink implements AutoCloseable {

    private static final int CREATE = Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL;

    private final NetlinkSocket socket;
    private int group;

    public RtNetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Links created from now on carry this link group (0: none), so that their owner can tell them apart. */
    public synchronized RtNetlink tagCreatedLinks(int linkGroup) {
        this.group = linkGroup;
        return this;
    }

    private MessageWriter newLink(String name) {
        MessageWriter w = socket.writer().begin(Rtnl.RTM_NEWLINK, CREATE).ifinfomsg(0, 0, 0, 0)
                .string(Rtnl.IFLA_IFNAME, name);
        if (group > 0) {
            w.u32(Rtnl.IFLA_GROUP, group);
        }
        return w;
    }

    /** Opens rtnetlink in the calling thread's namespace. */
    public static RtNetlink open() {
        return new RtNetlink(NetlinkSocket.open());
    }

    // ---- links

    public synchronized List<LinkInfo> links() {
        socket.writer().begin(Rtnl.RTM_GETLINK, 0).ifinfomsg(0, 0, 0, 0);
        return parse(socket.dump("dump links"), Codecs::link);
    }

    public synchronized Optional<LinkInfo> link(String name) {
        return links().stream().filter(l -> name.equals(l.name())).findFirst();
    }

    public synchronized LinkInfo require(String name) {
        return link(name).orElseThrow(
                () -> new NetlinkException(Errno.ENODEV, "No such device", null, "find link " + name));
    }

    public synchronized void createBridge(String name, String mac, int mtu) {
        MessageWriter w = newLink(name);
        if (mac != null) {
            w.bytes(Rtnl.IFLA_ADDRESS, Ip.mac(mac));
        }
        if (mtu > 0) {
            w.u32(Rtnl.IFLA_MTU, mtu);
        }
        w.beginNest(Rtnl.IFLA_LINKINFO).string(Rtnl.IFLA_INFO_KIND, "bridge").endNest();
        socket.request("create bridge " + name);
    }

    /**
     * Creates a veth pair: {@code name} here, the peer named {@code peerName} directly in the
     * namespace open at {@code peerNamespaceFd} (or here when it is negative), with its MAC.
     */
    public synchronized void createVeth(String name, String peerName, int peerNamespaceFd, String peerMac, int mtu) {
        MessageWriter w = newLink(name);
        if (mtu > 0) {
            w.u32(Rtnl.IFLA_MTU, mtu);
        }
        w.beginNest(Rtnl.IFLA_LINKINFO).string(Rtnl.IFLA_INFO_KIND, "veth").beginNest(Rtnl.IFLA_INFO_DATA)
                .beginNest(Rtnl.VETH_INFO_PEER).ifinfomsg(0, 0, 0, 0).string(Rtnl.IFLA_IFNAME, peerName);
        if (peerMac != null) {
            w.bytes(Rtnl.IFLA_ADDRESS, Ip.mac(peerMac));
        }
        if (mtu > 0) {
            w.u32(Rtnl.IFLA_MTU, mtu);
        }
        if (peerNamespaceFd >= 0) {
            w.u32(Rtnl.IFLA_NET_NS_FD, peerNamespaceFd);
        }
        w.endNest().endNest().endNest();
        socket.request("create veth " + name + " peer " + peerName);
    }

    /** A VXLAN device: VNI, local VTEP, UDP port, learning off (the mesh programs the FDB). */
    public synchronized void createVxlan(String name, int vni, String local, int port, int mtu) {
        MessageWriter w = newLink(name);
        if (mtu > 0) {
            w.u32(Rtnl.IFLA_MTU, mtu);
        }
        w.beginNest(Rtnl.IFLA_LINKINFO).string(Rtnl.IFLA_INFO_KIND, "vxlan").beginNest(Rtnl.IFLA_INFO_DATA)
                .u32(Rtnl.IFLA_VXLAN_ID, vni).bytes(Rtnl.IFLA_VXLAN_LOCAL, Ip.v4(local))
                .be16(Rtnl.IFLA_VXLAN_PORT, port).u8(Rtnl.IFLA_VXLAN_LEARNING, 0).endNest().endNest();
        socket.request("create vxlan " + name + " vni " + vni);
    }

    public synchronized void setUp(int index, boolean up) {
        // ifi_change names the one flag meant; 0 would mean "all flags" and clear MULTICAST
        socket.writer().begin(Rtnl.RTM_NEWLINK, 0).ifinfomsg(0, index, up ? Rtnl.IFF_UP : 0, Rtnl.IFF_UP);
        socket.request("set link " + index + (up ? " up" : " down"));
    }

    /** Enslaves the link to a bridge; {@code masterIndex} 0 releases it. */
    public synchronized void setMaster(int index, int masterIndex) {
        socket.writer().begin(Rtnl.RTM_NEWLINK, 0).ifinfomsg(0, index, 0, 0).u32(Rtnl.IFLA_MASTER, masterIndex);
        socket.request("set master of link " + index + " to " + masterIndex);
    }

    /**
     * Hairpin mode on a bridge port: the bridge may send a frame back out of the port it came in
     * on, which a container needs to reach its own published port (DNAT back to itself).
     */
    public synchronized void setHairpin(int portIndex, boolean on) {
        socket.writer().begin(Rtnl.RTM_SETLINK, 0).ifinfomsg(Rtnl.AF_BRIDGE, portIndex, 0, 0)
                .beginNest(Rtnl.IFLA_PROTINFO | Rtnl.NLA_F_NESTED).u8(Rtnl.IFLA_BRPORT_MODE, on ? 1 : 0).endNest();
        socket.request("set hairpin " + (on ? "on" : "off") + " on bridge port " + portIndex);
    }

    public synchronized void setMtu(int index, int mtu) {
        socket.writer().begin(Rtnl.RTM_NEWLINK, 0).ifinfomsg(0, index, 0, 0).u32(Rtnl.IFLA_MTU, mtu);
        socket.request("set mtu of link " + index + " to " + mtu);
    }

    public synchronized void setMac(int index, String mac) {
        socket.writer().begin(Rtnl.RTM_NEWLINK, 0).ifinfomsg(0, index, 0, 0).bytes(Rtnl.IFLA_ADDRESS, Ip.mac(mac));
        socket.request("set mac of link " + index + " to " + mac);
    }

    public synchronized void rename(int index, String name) {
        socket.writer().begin(Rtnl.RTM_NEWLINK, 0).ifinfomsg(0, index, 0, 0).string(Rtnl.IFLA_IFNAME, name);
        socket.request("rename link " + index + " to " + name);
    }

    /** Moves the link into the namespace open at {@code namespaceFd}. */
    public synchronized void moveToNamespace(int index, int namespaceFd) {
        socket.writer().begin(Rtnl.RTM_NEWLINK, 0).ifinfomsg(0, index, 0, 0).u32(Rtnl.IFLA_NET_NS_FD, namespaceFd);
        socket.request("move link " + index + " to namespace fd " + namespaceFd);
    }

    public synchronized void deleteLink(int index) {
        socket.writer().begin(Rtnl.RTM_DELLINK, 0).ifinfomsg(0, index, 0, 0);
        socket.request("delete link " + index);
    }

    // ---- addresses

    public synchronized List<AddressInfo> addresses() {
        socket.writer().begin(Rtnl.RTM_GETADDR, 0).ifaddrmsg(Rtnl.AF_INET, 0, 0, 0);
        return parse(socket.dump("dump addresses"), Codecs::address);
    }

    public synchronized void addAddress(int index, Ip.Cidr cidr) {
        byte[] raw = Ip.v4(cidr.address());
        socket.writer().begin(Rtnl.RTM_NEWADDR, CREATE)
                .ifaddrmsg(Rtnl.AF_INET, cidr.prefixLength(), Rtnl.RT_SCOPE_UNIVERSE, index)
                .bytes(Rtnl.IFA_LOCAL, raw).bytes(Rtnl.IFA_ADDRESS, raw);
        socket.request("add address " + cidr + " to link " + index);
    }

    public synchronized void deleteAddress(int index, Ip.Cidr cidr) {
        byte[] raw = Ip.v4(cidr.address());
        socket.writer().begin(Rtnl.RTM_DELADDR, 0).ifaddrmsg(Rtnl.AF_INET, cidr.prefixLength(), 0, index)
                .bytes(Rtnl.IFA_LOCAL, raw).bytes(Rtnl.IFA_ADDRESS, raw);
        socket.request("delete address " + cidr + " from link " + index);
    }

    // ---- routes

    public synchronized List<RouteInfo> routes() {
        socket.writer().begin(Rtnl.RTM_GETROUTE, 0).rtmsg(Rtnl.AF_INET, 0, 0, 0, 0, 0);
        return parse(socket.dump("dump routes"), Codecs::route);
    }

    /** A static route in the main table; {@code destination} null is the default route. */
    public synchronized void addRoute(Ip.Cidr destination, String gateway, int outIndex) {
        route(Rtnl.RTM_NEWROUTE, CREATE, destination, gateway, outIndex);
        socket.request("add route " + (destination == null ? "default" : destination) + " via " + gateway);
    }

    public synchronized void deleteRoute(Ip.Cidr destination, String gateway, int outIndex) {
        route(Rtnl.RTM_DELROUTE, 0, destination, gateway, outIndex);
        socket.request("delete route " + (destination == null ? "default" : destination) + " via " + gateway);
    }

    private void route(int type, int flags, Ip.Cidr destination, String gateway, int outIndex) {
        MessageWriter w = socket.writer().begin(type, flags).rtmsg(Rtnl.AF_INET,
                destination == null ? 0 : destination.prefixLength(), Rtnl.RT_TABLE_MAIN, Rtnl.RTPROT_STATIC,
                Rtnl.RT_SCOPE_UNIVERSE, Rtnl.RTN_UNICAST);
        if (destination != null) {
            w.bytes(Rtnl.RTA_DST, Ip.v4(destination.address()));
        }
        if (gateway != null) {
            w.bytes(Rtnl.RTA_GATEWAY, Ip.v4(gateway));
        }
        if (outIndex > 0) {
            w.u32(Rtnl.RTA_OIF, outIndex);
        }
    }

    // ---- neighbours and FDB

    public synchronized List<NeighbourInfo> neighbours(int family) {
        socket.writer().begin(Rtnl.RTM_GETNEIGH, 0).ndmsg(family, 0, 0, 0);
        List<NeighbourInfo> all = parse(socket.dump("dump neighbours"), Codecs::neighbour);
        all.removeIf(n -> n.family() != family);
        return all;
    }

    /** A permanent IPv4 neighbour entry (ip to mac) on a link. */
    public synchronized void addNeighbour(int index, String ip, String mac) {
        socket.writer().begin(Rtnl.RTM_NEWNEIGH, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_REPLACE)
                .ndmsg(Rtnl.AF_INET, index, Rtnl.NUD_PERMANENT, 0).bytes(Rtnl.NDA_DST, Ip.v4(ip))
                .bytes(Rtnl.NDA_LLADDR, Ip.mac(mac));
        socket.request("add neighbour " + ip + " lladdr " + mac + " on link " + index);
    }

    public synchronized void deleteNeighbour(int index, String ip) {
        socket.writer().begin(Rtnl.RTM_DELNEIGH, 0).ndmsg(Rtnl.AF_INET, index, 0, 0).bytes(Rtnl.NDA_DST, Ip.v4(ip));
        socket.request("delete neighbour " + ip + " on link " + index);
    }

    /**
     * A permanent FDB entry on a vxlan device: frames for {@code mac} go to VTEP {@code dst}.
     * The all-zero MAC is the flood list, which holds several VTEPs, hence append.
     */
    public synchronized void addFdb(int vxlanIndex, String mac, String dst) {
        boolean flood = "00:00:00:00:00:00".equals(mac);
        socket.writer().begin(Rtnl.RTM_NEWNEIGH, Rtnl.NLM_F_CREATE | (flood ? Rtnl.NLM_F_APPEND : Rtnl.NLM_F_REPLACE))
                .ndmsg(Rtnl.AF_BRIDGE, vxlanIndex, Rtnl.NUD_NOARP | Rtnl.NUD_PERMANENT, Rtnl.NTF_SELF)
                .bytes(Rtnl.NDA_LLADDR, Ip.mac(mac)).bytes(Rtnl.NDA_DST, Ip.v4(dst));
        socket.request("add fdb " + mac + " dst " + dst + " on link " + vxlanIndex);
    }

    public synchronized void deleteFdb(int vxlanIndex, String mac, String dst) {
        MessageWriter w = socket.writer().begin(Rtnl.RTM_DELNEIGH, 0)
                .ndmsg(Rtnl.AF_BRIDGE, vxlanIndex, 0, Rtnl.NTF_SELF).bytes(Rtnl.NDA_LLADDR, Ip.mac(mac));
        if (dst != null) {
            w.bytes(Rtnl.NDA_DST, Ip.v4(dst));
        }
        socket.request("delete fdb " + mac + " dst " + dst + " on link " + vxlanIndex);
    }

    private static <T> List<T> parse(List<ByteBuffer> messages, Function<ByteBuffer, T> codec) {
        List<T> out = new ArrayList<>(messages.size());
        for (ByteBuffer m : messages) {
            T item = codec.apply(m);
            if (item != null) {
                out.add(item);
            }
        }
        return out;
    }

    @Override
    public void close() {
        socket.close();
    }
}
