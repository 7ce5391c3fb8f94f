package io.netplane.agent.reconcile;

import io.netplane.agent.netlink.Ip;
import io.netplane.agent.netlink.LinkInfo;
import io.netplane.agent.netlink.NeighbourInfo;
import io.netplane.agent.netlink.RtNetlink;
import io.netplane.agent.netlink.Rtnl;
import io.netplane.events.NetworkCreated;
import io.netplane.events.model.IpamConfig;
import io.netplane.events.model.MeshNetwork;
import io.netplane.events.model.MeshPeer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Bridges, VXLAN devices and their FDB / neighbour entries in a host's namespace. */
final class HostDevices {

    static final int VXLAN_PORT = 4789;
    static final String FLOOD_MAC = "00:00:00:00:00:00";

    private final RtNetlink nl;
    private NamespaceView view;

    HostDevices(RtNetlink nl) {
        this.nl = nl;
        refresh();
    }

    NamespaceView view() {
        return view;
    }

    void refresh() {
        view = new NamespaceView(nl);
    }

    /** A local bridge network's bridge: fixed MAC, gateway address, MTU, up. Returns its index. */
    int bridge(NetworkCreated network) {
        if (network.ipam().isEmpty()) {
            throw new IllegalStateException("network " + network.name() + " has no IPv4 subnet");
        }
        IpamConfig ipam = network.ipam().get(0);
        return bridge(network.bridgeName(), ipam.gateway(), Ip.Cidr.parse(ipam.subnet()).prefixLength(), network.mtu());
    }

    int bridge(String name, String gateway, int prefixLength, int mtu) {
        String mac = Ownership.bridgeMac(gateway);
        LinkInfo br = ours(name);
        if (br != null && !"bridge".equals(br.kind())) {
            nl.deleteLink(br.index());
            br = null;
        }
        if (br == null) {
            nl.createBridge(name, mac, mtu);
            br = nl.require(name);
            view.links.put(name, br);
        }
        LinkSetup.mac(nl, br, mac);
        LinkSetup.mtu(nl, br, mtu);
        LinkSetup.onlyAddress(nl, br, view.addressesOf(br.index()), new Ip.Cidr(gateway, prefixLength));
        LinkSetup.up(nl, br);
        return br.index();
    }

    /** One overlay network on this host: bridge, VXLAN port, flood/peer FDB and neighbours. Returns the bridge index. */
    int overlay(MeshNetwork network, String localVtep) {
        int prefix = Ip.Cidr.parse(network.subnet()).prefixLength();
        int bridge = bridge(network.bridgeName(), network.gateway(), prefix, network.mtu());
        LinkInfo vx = ours(network.vxlanName());
        if (vx != null && !("vxlan".equals(vx.kind()) && vx.vxlanId() == network.vni()
                && localVtep.equals(vx.vxlanLocal()) && vx.vxlanPort() == VXLAN_PORT && !vx.vxlanLearning())) {
            nl.deleteLink(vx.index());
            vx = null;
        }
        if (vx == null) {
            nl.createVxlan(network.vxlanName(), network.vni(), localVtep, VXLAN_PORT, network.mtu());
            vx = nl.require(network.vxlanName());
            view.links.put(vx.name(), vx);
        }
        LinkSetup.mtu(nl, vx, network.mtu());
        LinkSetup.master(nl, vx, bridge);
        LinkSetup.up(nl, vx);
        fdb(vx.index(), network);
        neighbours(bridge, network.peers());
        return bridge;
    }

    /**
     * The link of that name if netplane made it (it carries netplane's link group); null if there is
     * none. One that someone else made is never adopted, changed or deleted, whatever a record names.
     */
    private LinkInfo ours(String name) {
        LinkInfo link = view.links.get(name);
        if (link != null && link.group() != Ownership.LINK_GROUP) {
            throw new IllegalStateException("link " + name + " exists and is not netplane's (link group "
                    + link.group() + "): left as it is");
        }
        return link;
    }

    private void fdb(int vxIndex, MeshNetwork network) {
        Set<String> wanted = new HashSet<>();
        Map<String, String[]> toAdd = new LinkedHashMap<>();
        for (MeshPeer p : network.peers()) {
            String key = p.macAddress().toLowerCase() + " " + p.vtepAddress();
            wanted.add(key);
            toAdd.put(key, new String[] {p.macAddress().toLowerCase(), p.vtepAddress()});
        }
        for (String vtep : network.floodVteps()) {
            wanted.add(FLOOD_MAC + " " + vtep);
            toAdd.put(FLOOD_MAC + " " + vtep, new String[] {FLOOD_MAC, vtep});
        }
        List<NeighbourInfo> actual = nl.neighbours(Rtnl.AF_BRIDGE).stream()
                .filter(n -> n.index() == vxIndex && n.ip() != null && n.permanent()).toList();
        for (NeighbourInfo n : actual) {
            String key = n.mac() + " " + n.ip();
            if (!wanted.contains(key)) {
                nl.deleteFdb(vxIndex, n.mac(), n.ip());
            } else {
                toAdd.remove(key);
            }
        }
        for (String[] entry : toAdd.values()) {
            nl.addFdb(vxIndex, entry[0], entry[1]);
        }
    }

    private void neighbours(int bridgeIndex, List<MeshPeer> peers) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (MeshPeer p : peers) {
            wanted.put(Ip.Cidr.parse(withPrefix(p.ipAddress())).address(), p.macAddress().toLowerCase());
        }
        for (NeighbourInfo n : nl.neighbours(Rtnl.AF_INET)) {
            if (n.index() != bridgeIndex || !n.permanent()) {
                continue;
            }
            String mac = wanted.get(n.ip());
            if (mac == null) {
                nl.deleteNeighbour(bridgeIndex, n.ip());
            } else if (mac.equals(n.mac())) {
                wanted.remove(n.ip());
            }
        }
        wanted.forEach((ip, mac) -> nl.addNeighbour(bridgeIndex, ip, mac));
    }

    private static String withPrefix(String address) {
        return address.contains("/") ? address : address + "/32";
    }
}
