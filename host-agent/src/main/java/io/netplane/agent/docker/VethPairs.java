package io.netplane.agent.docker;

import io.netplane.agent.netlink.LinkInfo;
import io.netplane.agent.netlink.NetlinkException;
import io.netplane.agent.netlink.RtNetlink;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.reconcile.Ownership;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The veth pairs of Docker's endpoints, in the host's namespace (where dockerd runs and looks up
 * Join's SrcName), through the agent's own netlink code. The host side carries netplane's link
 * group and name (the reconciler makes it a port of the network's bridge); the container side is
 * left for Docker to move into the container.
 */
final class VethPairs {

    private final NamespaceManager namespaces;
    private final Path hostNetns;

    VethPairs(NamespaceManager namespaces, Path hostNetns) {
        this.namespaces = namespaces;
        this.hostNetns = hostNetns;
    }

    /** Makes the pair anew (a leftover of the same name is replaced). Returns the container side's MAC. */
    String create(String hostSide, String containerSide, String mac, int mtu) {
        try (RtNetlink nl = namespaces.rtnetlink(hostNetns).tagCreatedLinks(Ownership.LINK_GROUP)) {
            deleteIfPresent(nl, hostSide);
            deleteIfPresent(nl, containerSide);
            nl.createVeth(hostSide, containerSide, -1, mac, mtu);
            LinkInfo host = nl.require(hostSide);
            nl.setUp(host.index(), true);
            return nl.require(containerSide).mac();
        }
    }

    void delete(String hostSide) {
        try (RtNetlink nl = namespaces.rtnetlink(hostNetns)) {
            deleteIfPresent(nl, hostSide);
        }
    }

    Optional<LinkInfo> link(String name) {
        try (RtNetlink nl = namespaces.rtnetlink(hostNetns)) {
            return nl.link(name);
        }
    }

    private static void deleteIfPresent(RtNetlink nl, String name) {
        Optional<LinkInfo> l = nl.link(name);
        if (l.isPresent()) {
            try {
                nl.deleteLink(l.get().index());
            } catch (NetlinkException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
    }
}
