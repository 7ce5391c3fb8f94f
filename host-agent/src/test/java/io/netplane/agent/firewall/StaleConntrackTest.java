package io.netplane.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.support.NamespaceLab;
import io.netplane.agent.support.Shell;
import io.netplane.events.model.PortBinding;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Conntrack entries of a host namespace (made with {@code conntrack -I}, as a udp flow through a
 * DNAT leaves them): those of a udp port whose binding moved or went are deleted, the rest stay.
 */
class StaleConntrackTest {

    @RegisterExtension
    static final NamespaceLab LAB = new NamespaceLab();

    private static final PortBinding DNS_TO_A = new PortBinding("udp", "0.0.0.0", 5300, "172.18.0.2", 53);
    private static final PortBinding DNS_TO_B = new PortBinding("udp", "0.0.0.0", 5300, "172.18.0.3", 53);
    private static final PortBinding SYSLOG = new PortBinding("udp", "0.0.0.0", 5514, "172.18.0.4", 514);
    private static final PortBinding WEB = new PortBinding("tcp", "0.0.0.0", 8080, "172.18.0.5", 80);

    @Test
    void onlyTheUdpPortsWhoseBindingChangedAreCounted() {
        assertThat(StaleConntrack.changedUdpPorts(List.of(DNS_TO_A, SYSLOG, WEB), List.of(DNS_TO_B, SYSLOG)))
                .containsExactly(5300);
        assertThat(StaleConntrack.changedUdpPorts(List.of(), List.of(SYSLOG, WEB))).as("new ports too").containsExactly(5514);
        assertThat(StaleConntrack.changedUdpPorts(List.of(DNS_TO_A, SYSLOG), List.of(DNS_TO_A, SYSLOG))).isEmpty();
    }

    @Test
    void aMovedPortsFlowsAreForgottenAndOthersKept() {
        String ns = LAB.namespaces().create("host");
        flow(ns, 5300);
        flow(ns, 5514);

        new Firewall(new IptablesRunner(30)).clearStaleFlows(NamespaceManager.pathOf(ns), List.of(DNS_TO_A, SYSLOG),
                List.of(DNS_TO_B, SYSLOG));

        String left = Shell.run("ip", "netns", "exec", ns, "conntrack", "-L", "-p", "udp").out();
        assertThat(left).contains("dport=5514").doesNotContain("dport=5300");
    }

    private static void flow(String ns, int port) {
        Shell.must("ip", "netns", "exec", ns, "conntrack", "-I", "-p", "udp", "-s", "198.51.100.7", "-d", "192.0.2.1",
                "--sport", "40000", "--dport", Integer.toString(port), "--timeout", "120");
    }
}
