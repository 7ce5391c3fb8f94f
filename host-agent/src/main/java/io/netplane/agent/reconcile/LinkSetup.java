package io.netplane.agent.reconcile;

import io.netplane.agent.netlink.Ip;
import io.netplane.agent.netlink.LinkInfo;
import io.netplane.agent.netlink.RtNetlink;
import java.util.List;

/** Small idempotent steps on one existing link: change only what differs from the wish. */
final class LinkSetup {

    private LinkSetup() {
    }

    static void mtu(RtNetlink nl, LinkInfo link, int mtu) {
        if (mtu > 0 && link.mtu() != mtu) {
            nl.setMtu(link.index(), mtu);
        }
    }

    static void mac(RtNetlink nl, LinkInfo link, String mac) {
        if (mac != null && !mac.equalsIgnoreCase(link.mac())) {
            nl.setMac(link.index(), mac.toLowerCase());
        }
    }

    static void up(RtNetlink nl, LinkInfo link) {
        if (!link.up()) {
            nl.setUp(link.index(), true);
        }
    }

    static void master(RtNetlink nl, LinkInfo link, int masterIndex) {
        if (link.master() != masterIndex) {
            nl.setMaster(link.index(), masterIndex);
        }
    }

    /** Enslaves an endpoint's host-side veth to its bridge, with hairpin mode (see RtNetlink#setHairpin). */
    static void bridgePort(RtNetlink nl, LinkInfo link, int bridgeIndex) {
        if (link.master() != bridgeIndex) {
            nl.setMaster(link.index(), bridgeIndex);
            nl.setHairpin(link.index(), true);
        }
    }

    /** Makes {@code wanted} the only IPv4 address of the link. */
    static void onlyAddress(RtNetlink nl, LinkInfo link, List<String> actual, Ip.Cidr wanted) {
        for (String cidr : actual) {
            if (!cidr.equals(wanted.toString())) {
                nl.deleteAddress(link.index(), Ip.Cidr.parse(cidr));
            }
        }
        if (!actual.contains(wanted.toString())) {
            nl.addAddress(link.index(), wanted);
        }
    }
}
