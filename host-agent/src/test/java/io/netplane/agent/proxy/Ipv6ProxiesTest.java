package io.netplane.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.support.NamespaceLab;
import io.netplane.agent.support.Shell;
import io.netplane.events.model.PortBinding;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A host namespace with a "container" service on an IPv4 address (tcp and udp, a small python
 * server), published on [::] through the proxies: reached at [::1] from inside that host, and
 * gone once the port is no longer wanted.
 */
class Ipv6ProxiesTest {

    @RegisterExtension
    static final NamespaceLab LAB = new NamespaceLab();

    private static final String SERVER = """
            import socket, threading
            t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t.bind(("127.0.0.1", 8080)); t.listen()
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 5300))
            def echo():
                while True:
                    data, peer = u.recvfrom(2048); u.sendto(b"udp " + data, peer)
            threading.Thread(target=echo, daemon=True).start()
            while True:
                c, _ = t.accept(); c.recv(1024); c.sendall(b"tcp hello"); c.close()
            """;
    private static final String UDP_CLIENT = """
            import socket
            s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.settimeout(2)
            s.sendto(b"ping", ("::1", 15300)); print(s.recvfrom(2048)[0].decode())
            """;

    private String hostNs;
    private Process server;
    private Ipv6Proxies proxies;

    @BeforeEach
    void setUp() throws IOException {
        hostNs = LAB.namespaces().create("host");
        Shell.must("ip", "-n", hostNs, "link", "set", "lo", "up");
        server = new ProcessBuilder("ip", "netns", "exec", hostNs, "python3", "-c", SERVER).start();
        proxies = new Ipv6Proxies(LAB.manager(), NamespaceManager.pathOf(hostNs));
    }

    @AfterEach
    void tearDown() {
        proxies.close();
        server.destroyForcibly();
    }

    @Test
    void aPortPublishedOnEveryAddressAnswersOnIpv6ThroughTheProxyUntilItGoes() {
        proxies.sync(List.of(new PortBinding("tcp", "0.0.0.0", 18080, "127.0.0.1", 8080),
                new PortBinding("udp", "0.0.0.0", 15300, "127.0.0.1", 5300)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(inHost("curl", "-s", "--http0.9", "-m", "2", "-g", "http://[::1]:18080/").out()).isEqualTo("tcp hello"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(inHost("python3", "-c", UDP_CLIENT).out().trim()).isEqualTo("udp ping"));
        assertThat(proxies.answered()).hasSize(2);

        proxies.sync(List.of());

        Shell.Result gone = inHost("curl", "-s", "--http0.9", "-m", "2", "-g", "http://[::1]:18080/");
        assertThat(gone.ok()).as("nothing listens on [::]:18080 any more: %s", gone.out()).isFalse();
        assertThat(proxies.answered()).isEmpty();
    }

    private Shell.Result inHost(String... command) {
        String[] args = new String[command.length + 4];
        args[0] = "ip";
        args[1] = "netns";
        args[2] = "exec";
        args[3] = hostNs;
        System.arraycopy(command, 0, args, 4, command.length);
        return Shell.run(args);
    }
}
