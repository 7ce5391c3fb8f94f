package io.netplane.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.support.Namespaces;
import io.netplane.agent.support.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scenario S1 through the netlink layer: two namespaces, one veth pair, 192.168.1.1/24 and .2/24, ping. */
class S1VethPingTest {

    private NamespaceManager manager;
    private Namespaces namespaces;

    @BeforeEach
    void start() {
        Namespaces.requireRoot();
        manager = new NamespaceManager();
        namespaces = new Namespaces(manager);
    }

    @AfterEach
    void stop() {
        if (namespaces != null) {
            namespaces.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void twoNamespacesJoinedByVethPingEachOther() {
        String a = namespaces.create("a");
        String b = namespaces.create("b");
        try (RtNetlink na = manager.rtnetlink(NamespaceManager.pathOf(a));
                RtNetlink nb = manager.rtnetlink(NamespaceManager.pathOf(b))) {
            int fd = manager.openFd(NamespaceManager.pathOf(b));
            try {
                na.createVeth("veth-a", "veth-b", fd, null, 0);
            } finally {
                manager.closeFd(fd);
            }
            LinkInfo va = na.require("veth-a");
            LinkInfo vb = nb.require("veth-b");
            na.addAddress(va.index(), Ip.Cidr.parse("192.168.1.1/24"));
            nb.addAddress(vb.index(), Ip.Cidr.parse("192.168.1.2/24"));
            na.setUp(va.index(), true);
            nb.setUp(vb.index(), true);
        }
        assertThat(Shell.ping(a, "192.168.1.2")).isTrue();
        assertThat(Shell.ping(b, "192.168.1.1")).isTrue();
    }
}
