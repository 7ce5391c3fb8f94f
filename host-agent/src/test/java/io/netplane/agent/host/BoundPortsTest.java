package io.netplane.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.support.NamespaceLab;
import io.netplane.agent.support.Shell;
import io.netplane.events.model.BoundPort;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ports a host's own processes hold, from the kernel's socket tables of the host's namespace. */
class BoundPortsTest {

    @RegisterExtension
    static final NamespaceLab LAB = new NamespaceLab();

    private static final String LISTENERS = """
            import socket, time
            t = socket.socket(); t.bind(("0.0.0.0", 18095)); t.listen()
            l = socket.socket(); l.bind(("127.0.0.1", 18096)); l.listen()
            s6 = socket.socket(socket.AF_INET6); s6.bind(("::", 18097)); s6.listen()
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 15353))
            c = socket.socket(); c.bind(("127.0.0.1", 18098))
            time.sleep(600)
            """;

    @Test
    void listeningAndBoundSocketsOfTheHostsNamespaceOnlyAndNotTheAgentsOwn() throws IOException {
        String ns = LAB.namespaces().create("bp");
        Shell.must("ip", "-n", ns, "link", "set", "lo", "up");
        Process listeners = new ProcessBuilder("ip", "netns", "exec", ns, "python3", "-c", LISTENERS).start();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(BoundPorts.read(LAB.manager(), NamespaceManager.pathOf(ns), Set.of("tcp/18097")))
                            .containsExactly(
                                    new BoundPort("tcp", "0.0.0.0", 18095),
                                    new BoundPort("tcp", "127.0.0.1", 18096),
                                    new BoundPort("udp", "0.0.0.0", 15353)));
            assertThat(BoundPorts.read(LAB.manager(), NamespaceManager.pathOf(ns), Set.of()))
                    .as("[::] takes the IPv4 port too").contains(new BoundPort("tcp", "0.0.0.0", 18097))
                    .as("a socket bound but not listening holds no port a client can reach")
                    .noneMatch(p -> p.port() == 18098);
        } finally {
            listeners.destroyForcibly();
        }
    }

    @Test
    void kernelLinesAreReadAsTheyAreWritten() {
        assertThat(BoundPorts.parse("tcp", "0A",
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0"))
                .isEqualTo(new BoundPort("tcp", "127.0.0.1", 8080));
        assertThat(BoundPorts.parse("tcp", "0A",
                "   1: 0000000000000000FFFF00000B0200C0:0050 00000000000000000000000000000000:0000 0A 0 0 0"))
                .as("an IPv4-mapped address").isEqualTo(new BoundPort("tcp", "192.0.2.11", 80));
        assertThat(BoundPorts.parse("tcp", "0A",
                "   2: 000080FE00000000FF2A42020100ACFE:0050 00000000000000000000000000000000:0000 0A 0 0 0"))
                .as("any other IPv6 address").isNull();
        assertThat(BoundPorts.parse("tcp", "0A",
                "   3: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 1 1 0"))
                .as("a connection, not a listener").isNull();
        assertThat(BoundPorts.parse("tcp", "0A",
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"))
                .isNull();
    }
}
