package io.netplane.agent.reconcile;

import io.netplane.agent.netlink.Ip;
import io.netplane.agent.netlink.LinkInfo;
import io.netplane.agent.netlink.RouteInfo;
import io.netplane.agent.netlink.RtNetlink;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.events.EndpointAllocated;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * One endpoint: a veth pair whose host side (veth + 7 hex) is a port of the network's bridge
 * and whose other side is the container's interface (eth0, eth1...) in the sandbox with its
 * MAC, MTU, address and, for the gateway endpoint, the default route.
 */
final class EndpointWiring {

    private static final Logger LOG = Logger.getLogger(EndpointWiring.class);
    private static final Duration RUNNING_WAIT = Duration.ofMillis(200);

    private final NamespaceManager namespaces;

    EndpointWiring(NamespaceManager namespaces) {
        this.namespaces = namespaces;
    }

    void wire(HostDevices host, RtNetlink hostNl, EndpointAllocated e, int bridgeIndex, Path sandbox) {
        String vethName = Ownership.vethName(e.endpointId());
        Ip.Cidr address = Ip.Cidr.parse(e.ipv4Address());
        try (RtNetlink sb = namespaces.rtnetlink(sandbox)) {
            NamespaceView inside = new NamespaceView(sb);
            LinkInfo veth = host.view().links.get(vethName);
            if (veth != null && (!"veth".equals(veth.kind()) || !inside.links.containsKey(e.interfaceName()))) {
                // half a pair, or the peer is not where it should be: start again
                hostNl.deleteLink(veth.index());
                host.view().links.remove(vethName);
                veth = null;
            }
            if (veth == null) {
                LinkInfo stale = inside.links.get(e.interfaceName());
                if (stale != null) {
                    sb.deleteLink(stale.index());
                }
                int fd = namespaces.openFd(sandbox);
                try {
                    hostNl.createVeth(vethName, e.interfaceName(), fd, e.macAddress(), e.mtu());
                } finally {
                    namespaces.closeFd(fd);
                }
                veth = hostNl.require(vethName);
                host.view().links.put(vethName, veth);
                inside = new NamespaceView(sb);
            }
            LinkSetup.bridgePort(hostNl, veth, bridgeIndex);
            LinkSetup.mtu(hostNl, veth, e.mtu());
            LinkSetup.up(hostNl, veth);

            LinkInfo lo = inside.links.get("lo");
            if (lo != null) {
                LinkSetup.up(sb, lo);
            }
            LinkInfo eth = inside.links.get(e.interfaceName());
            LinkSetup.mac(sb, eth, e.macAddress());
            LinkSetup.mtu(sb, eth, e.mtu());
            LinkSetup.up(sb, eth);
            if (!eth.running()) {
                awaitRunning(sb, hostNl, e.interfaceName(), vethName);
            }
            // The address, and with it the route, comes last: a packet sent on a pair the kernel has
            // not yet marked running is dropped, and a lost first ARP request is retried only a
            // second later. Until the address exists, a sender gets "unreachable" at once instead.
            LinkSetup.onlyAddress(sb, eth, inside.addressesOf(eth.index()), address);
            if (e.gatewayEndpoint() && e.ipv4Gateway() != null && !e.ipv4Gateway().isEmpty()) {
                defaultRoute(sb, eth.index(), e.ipv4Gateway());
            }
        }
    }

    /**
     * Waits, briefly, until the kernel's link watcher has seen the carrier of both ends (it runs
     * asynchronously after a link goes up, and only then activates the queue and the bridge port).
     */
    private static void awaitRunning(RtNetlink sb, RtNetlink hostNl, String inside, String hostSide) {
        long deadline = System.nanoTime() + RUNNING_WAIT.toNanos();
        boolean insideRunning = false;
        while (System.nanoTime() < deadline) {
            insideRunning = insideRunning || sb.link(inside).map(LinkInfo::running).orElse(false);
            if (insideRunning && hostNl.link(hostSide).map(LinkInfo::running).orElse(false)) {
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.debugf("%s/%s not running after %s; configuring it anyway", hostSide, inside, RUNNING_WAIT);
    }

    private static void defaultRoute(RtNetlink sb, int index, String gateway) {
        boolean present = false;
        for (RouteInfo r : sb.routes()) {
            if (!r.isDefault()) {
                continue;
            }
            if (gateway.equals(r.gateway()) && r.outIndex() == index && !present) {
                present = true;
            } else {
                sb.deleteRoute(null, r.gateway(), r.outIndex());
            }
        }
        if (!present) {
            sb.addRoute(null, gateway, index);
        }
    }

    /** A sandbox with loopback up and nothing else (the "none" network, or before any endpoint). */
    void loopbackUp(Path sandbox) {
        try (RtNetlink sb = namespaces.rtnetlink(sandbox)) {
            sb.link("lo").ifPresent(lo -> LinkSetup.up(sb, lo));
        }
    }
}
