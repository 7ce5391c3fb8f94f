package io.netplane.agent.cni;

import io.netplane.agent.netlink.AddressInfo;
import io.netplane.agent.netlink.LinkInfo;
import io.netplane.agent.netlink.RouteInfo;
import io.netplane.agent.netlink.RtNetlink;
import io.netplane.agent.netns.NamespaceManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A container's interface as the kernel has it, read through netlink inside the runtime's namespace. */
public final class KernelView {

    private final NamespaceManager namespaces;

    public KernelView(NamespaceManager namespaces) {
        this.namespaces = namespaces;
    }

    /** The routes of the main table that leave by one of {@code ifnames}. */
    List<RouteInfo> routes(String netns, List<String> ifnames) {
        try (RtNetlink nl = enter(netns)) {
            Set<Integer> links = ifnames.stream().map(n -> link(nl, netns, n).index()).collect(Collectors.toSet());
            return nl.routes().stream().filter(r -> links.contains(r.outIndex())).toList();
        }
    }

    /** Throws a CHECK_FAILED naming the first thing that differs from {@code expected}. */
    void check(String netns, String ifname, CniResult.Expected expected) {
        try (RtNetlink nl = enter(netns)) {
            LinkInfo link = link(nl, netns, ifname);
            if (!link.up()) {
                throw failed(ifname + " in " + netns + " is down");
            }
            if (expected.mac() != null && !expected.mac().equalsIgnoreCase(link.mac())) {
                throw failed(ifname + " in " + netns + " has MAC " + link.mac() + ", not " + expected.mac());
            }
            Set<String> addresses = nl.addresses().stream().filter(a -> a.index() == link.index())
                    .map(AddressInfo::cidr).collect(Collectors.toSet());
            for (String address : expected.addresses()) {
                if (!addresses.contains(address)) {
                    throw failed(ifname + " in " + netns + " has no address " + address + " (it has " + addresses + ")");
                }
            }
            // the namespace's routes, whichever link: an overlay's default route leaves by the gateway bridge's
            Set<CniResult.Route> routes = nl.routes().stream()
                    .map(r -> new CniResult.Route(CniResult.dst(r), r.gateway())).collect(Collectors.toSet());
            for (CniResult.Route route : expected.routes()) {
                boolean present = route.gw() == null
                        ? routes.stream().anyMatch(r -> r.dst().equals(route.dst()))
                        : routes.contains(route);
                if (!present) {
                    throw failed("no route to " + route.dst() + (route.gw() == null ? "" : " via " + route.gw())
                            + " in " + netns);
                }
            }
        }
    }

    private RtNetlink enter(String netns) {
        try {
            return namespaces.rtnetlink(Path.of(netns));
        } catch (RuntimeException e) {
            throw new CniError(CniError.UNKNOWN_CONTAINER, "cannot enter the container's namespace " + netns,
                    e.getMessage());
        }
    }

    private static LinkInfo link(RtNetlink nl, String netns, String ifname) {
        return nl.link(ifname).orElseThrow(() -> failed("no interface " + ifname + " in " + netns));
    }

    private static CniError failed(String what) {
        return new CniError(CniError.CHECK_FAILED, "CHECK failed: " + what);
    }
}
