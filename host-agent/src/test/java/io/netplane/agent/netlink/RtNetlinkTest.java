package io.netplane.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.support.NamespaceLab;
import io.netplane.agent.support.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each rtnetlink operation, checked against what {@code ip -j} / {@code bridge -j} report. */
class RtNetlinkTest {

    @RegisterExtension
    static final NamespaceLab LAB = new NamespaceLab();
    private String ns;
    private RtNetlink nl;

    @BeforeEach
    void freshNamespace() {
        ns = LAB.namespaces().create("nl");
        nl = LAB.manager().rtnetlink(NamespaceManager.pathOf(ns));
    }

    @AfterEach
    void cleanUp() {
        if (nl != null) {
            nl.close();
        }
    }

    private JsonNode ipLink(String name) {
        return Shell.json("ip", "-n", ns, "-j", "-d", "link", "show", "dev", name).get(0);
    }

    @Test
    void namedNamespaceIsVisibleToIpAndHoldsOnlyLoopback() {
        assertThat(Shell.must("ip", "netns", "list")).contains(ns);
        assertThat(nl.links()).extracting(LinkInfo::name).containsExactly("lo");
    }

    @Test
    void bridgeWithFixedMacMtuAndUp() {
        nl.createBridge("br-test", "02:42:ac:12:00:01", 1400);
        LinkInfo br = nl.require("br-test");
        nl.setUp(br.index(), true);

        JsonNode ip = ipLink("br-test");
        assertThat(ip.get("address").asText()).isEqualTo("02:42:ac:12:00:01");
        assertThat(ip.get("mtu").asInt()).isEqualTo(1400);
        assertThat(ip.get("linkinfo").get("info_kind").asText()).isEqualTo("bridge");
        assertThat(ip.get("flags").toString()).contains("UP").contains("MULTICAST");
        LinkInfo dumped = nl.require("br-test");
        assertThat(dumped.kind()).isEqualTo("bridge");
        assertThat(dumped.mac()).isEqualTo("02:42:ac:12:00:01");
        assertThat(dumped.up()).isTrue();
        assertThat(dumped.index()).isEqualTo(ip.get("ifindex").asInt());
    }

    @Test
    void vethPeerCreatedInAnotherNamespaceThenEnslaved() {
        String other = LAB.namespaces().create("peer");
        nl.createBridge("br-test", null, 0);
        int fd = LAB.manager().openFd(NamespaceManager.pathOf(other));
        try {
            nl.createVeth("veth1234567", "eth0", fd, "02:42:ac:12:00:02", 1450);
        } finally {
            LAB.manager().closeFd(fd);
        }
        LinkInfo veth = nl.require("veth1234567");
        nl.setMaster(veth.index(), nl.require("br-test").index());
        nl.setUp(veth.index(), true);

        assertThat(ipLink("veth1234567").get("master").asText()).isEqualTo("br-test");
        assertThat(ipLink("veth1234567").get("mtu").asInt()).isEqualTo(1450);
        JsonNode peer = Shell.json("ip", "-n", other, "-j", "link", "show", "dev", "eth0").get(0);
        assertThat(peer.get("address").asText()).isEqualTo("02:42:ac:12:00:02");
        assertThat(peer.get("mtu").asInt()).isEqualTo(1450);
        assertThat(nl.link("eth0")).isEmpty();
        assertThat(veth.kind()).isEqualTo("veth");
        assertThat(veth.master()).isZero();
        assertThat(nl.require("veth1234567").master()).isEqualTo(nl.require("br-test").index());
    }

    @Test
    void moveRenameMacMtuDelete() {
        String other = LAB.namespaces().create("mv");
        nl.createVeth("vetha", "vethb", -1, null, 0);
        LinkInfo b = nl.require("vethb");
        nl.setMtu(b.index(), 1300);
        nl.setMac(b.index(), "02:00:00:00:00:0b");
        nl.rename(b.index(), "vethc");
        assertThat(ipLink("vethc").get("mtu").asInt()).isEqualTo(1300);
        assertThat(ipLink("vethc").get("address").asText()).isEqualTo("02:00:00:00:00:0b");
        int fd = LAB.manager().openFd(NamespaceManager.pathOf(other));
        try {
            nl.moveToNamespace(b.index(), fd);
        } finally {
            LAB.manager().closeFd(fd);
        }
        assertThat(Shell.run("ip", "-n", ns, "link", "show", "dev", "vethc").ok()).isFalse();
        assertThat(Shell.must("ip", "-n", other, "-o", "link")).contains("vethc");
        nl.deleteLink(nl.require("vetha").index());
        assertThat(nl.link("vetha")).isEmpty();
        assertThat(Shell.must("ip", "-n", other, "-o", "link")).doesNotContain("vethc");
    }

    @Test
    void addressesAndRoutesMatchIp() {
        nl.createBridge("br-test", null, 0);
        LinkInfo br = nl.require("br-test");
        nl.setUp(br.index(), true);
        nl.addAddress(br.index(), Ip.Cidr.parse("10.250.0.1/24"));
        nl.addRoute(Ip.Cidr.parse("10.251.0.0/24"), "10.250.0.2", br.index());

        JsonNode addr = Shell.json("ip", "-n", ns, "-j", "-4", "addr", "show", "dev", "br-test").get(0)
                .get("addr_info").get(0);
        assertThat(addr.get("local").asText() + "/" + addr.get("prefixlen").asInt()).isEqualTo("10.250.0.1/24");
        assertThat(nl.addresses()).contains(new AddressInfo(br.index(), "10.250.0.1", 24));

        JsonNode route = Shell.json("ip", "-n", ns, "-j", "route", "show", "10.251.0.0/24").get(0);
        assertThat(route.get("gateway").asText()).isEqualTo("10.250.0.2");
        assertThat(route.get("dev").asText()).isEqualTo("br-test");
        assertThat(nl.routes()).contains(new RouteInfo("10.251.0.0", 24, "10.250.0.2", br.index(), Rtnl.RTPROT_STATIC));

        nl.deleteRoute(Ip.Cidr.parse("10.251.0.0/24"), "10.250.0.2", br.index());
        nl.deleteAddress(br.index(), Ip.Cidr.parse("10.250.0.1/24"));
        assertThat(Shell.must("ip", "-n", ns, "route")).doesNotContain("10.251.0.0");
        assertThat(nl.addresses()).noneMatch(a -> a.index() == br.index());
    }

    @Test
    void defaultRoute() {
        nl.createBridge("br-test", null, 0);
        LinkInfo br = nl.require("br-test");
        nl.setUp(br.index(), true);
        nl.addAddress(br.index(), Ip.Cidr.parse("10.250.0.2/24"));
        nl.addRoute(null, "10.250.0.1", br.index());
        JsonNode route = Shell.json("ip", "-n", ns, "-j", "route", "show", "default").get(0);
        assertThat(route.get("gateway").asText()).isEqualTo("10.250.0.1");
        assertThat(nl.routes()).filteredOn(RouteInfo::isDefault).extracting(RouteInfo::gateway)
                .containsExactly("10.250.0.1");
    }

    @Test
    void vxlanFdbAndNeighbours() {
        nl.createBridge("br-test", "02:42:0a:00:00:01", 0);
        nl.createVeth("ul0", "ul1", -1, null, 0);
        LinkInfo ul = nl.require("ul0");
        nl.addAddress(ul.index(), Ip.Cidr.parse("192.0.2.10/24"));
        nl.createVxlan("vx-test", 4096, "192.0.2.10", 4789, 1450);
        LinkInfo vx = nl.require("vx-test");
        nl.addFdb(vx.index(), "02:42:0a:00:00:03", "192.0.2.11");
        nl.addFdb(vx.index(), "00:00:00:00:00:00", "192.0.2.11");
        nl.addFdb(vx.index(), "00:00:00:00:00:00", "192.0.2.12");
        LinkInfo br = nl.require("br-test");
        nl.addNeighbour(br.index(), "10.0.0.3", "02:42:0a:00:00:03");

        JsonNode ip = ipLink("vx-test").get("linkinfo").get("info_data");
        assertThat(ip.get("id").asInt()).isEqualTo(4096);
        assertThat(ip.get("port").asInt()).isEqualTo(4789);
        assertThat(ip.get("local").asText()).isEqualTo("192.0.2.10");
        assertThat(ip.get("learning").asBoolean()).isFalse();
        LinkInfo dumped = nl.require("vx-test");
        assertThat(dumped.vxlanId()).isEqualTo(4096);
        assertThat(dumped.vxlanPort()).isEqualTo(4789);
        assertThat(dumped.vxlanLocal()).isEqualTo("192.0.2.10");
        assertThat(dumped.vxlanLearning()).isFalse();

        String fdb = Shell.must("bridge", "-n", ns, "fdb", "show", "dev", "vx-test");
        assertThat(fdb).contains("02:42:0a:00:00:03 dst 192.0.2.11 self permanent")
                .contains("00:00:00:00:00:00 dst 192.0.2.11 self permanent")
                .contains("00:00:00:00:00:00 dst 192.0.2.12 self permanent");
        assertThat(nl.neighbours(Rtnl.AF_BRIDGE)).filteredOn(n -> n.index() == vx.index() && n.ip() != null)
                .extracting(NeighbourInfo::mac, NeighbourInfo::ip)
                .contains(org.assertj.core.groups.Tuple.tuple("02:42:0a:00:00:03", "192.0.2.11"),
                        org.assertj.core.groups.Tuple.tuple("00:00:00:00:00:00", "192.0.2.12"));
        JsonNode neigh = Shell.json("ip", "-n", ns, "-j", "neigh", "show", "dev", "br-test").get(0);
        assertThat(neigh.get("dst").asText()).isEqualTo("10.0.0.3");
        assertThat(neigh.get("lladdr").asText()).isEqualTo("02:42:0a:00:00:03");
        assertThat(neigh.get("state").toString()).contains("PERMANENT");

        nl.deleteFdb(vx.index(), "00:00:00:00:00:00", "192.0.2.12");
        nl.deleteNeighbour(br.index(), "10.0.0.3");
        assertThat(Shell.must("bridge", "-n", ns, "fdb", "show", "dev", "vx-test")).doesNotContain("192.0.2.12");
        assertThat(Shell.must("ip", "-n", ns, "neigh", "show", "dev", "br-test")).doesNotContain("10.0.0.3");
    }

    @Test
    void kernelRefusalsCarryErrnoNameAndKernelMessage() {
        nl.createBridge("br-test", null, 0);
        assertThatThrownBy(() -> nl.createBridge("br-test", null, 0)).isInstanceOf(NetlinkException.class)
                .satisfies(e -> assertThat(((NetlinkException) e).errnoName()).isEqualTo("EEXIST"))
                .hasMessageContaining("create bridge br-test");
        LinkInfo br = nl.require("br-test");
        nl.setUp(br.index(), true);
        nl.addAddress(br.index(), Ip.Cidr.parse("10.250.0.1/24"));
        assertThatThrownBy(() -> nl.addRoute(Ip.Cidr.parse("10.9.0.0/24"), "10.99.0.1", br.index()))
                .isInstanceOf(NetlinkException.class)
                .satisfies(e -> assertThat(((NetlinkException) e).errnoName()).isEqualTo("ENETUNREACH"))
                .hasMessageContaining("Nexthop has invalid gateway");
    }

    @Test
    void dumpLargerThanOneDatagramIsComplete() {
        for (int i = 0; i < 300; i++) {
            nl.createVeth("va" + i, "vb" + i, -1, null, 0);
        }
        int ipCount = Shell.json("ip", "-n", ns, "-j", "link").size();
        assertThat(ipCount).isEqualTo(601);
        assertThat(nl.links()).hasSize(ipCount);
    }

}
