package io.netplane.nat.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One golden document per option. The files under src/test/resources/golden were checked by hand
 * against docker-libnetwork.md §4. -Dgolden.update=true rewrites the ones that differ and fails
 * those tests, so a new golden passes only in a later run, after it was read.
 */
class RulesetGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private final RulesetCompiler compiler = new RulesetCompiler();

    private static BridgeNetwork web() {
        return new BridgeNetwork("aaaaaaaaaaaa1", "br-aaaaaaaaaaaa", "172.18.0.0/16", false, true, true);
    }

    private static PublishedPort webPort(String hostIp, int hostPort, String proto, int containerPort) {
        return new PublishedPort("br-aaaaaaaaaaaa", hostIp, hostPort, proto, "172.18.0.2", containerPort);
    }

    @Test
    void noNetworksDeclaresTheChainsOnly() throws IOException {
        assertGolden("empty", new HostFirewall("h1", List.of(), List.of()));
    }

    @Test
    void publishedPortOnABridge() throws IOException {
        assertGolden("publish-8080-80",
                new HostFirewall("h1", List.of(web()), List.of(webPort("0.0.0.0", 8080, "tcp", 80))));
    }

    @Test
    void portBoundToOneHostAddress() throws IOException {
        assertGolden("publish-loopback-only",
                new HostFirewall("h1", List.of(web()), List.of(webPort("127.0.0.1", 8080, "tcp", 80))));
    }

    @Test
    void udpAndSctpPorts() throws IOException {
        assertGolden("publish-udp-sctp", new HostFirewall("h1", List.of(web()),
                List.of(webPort("0.0.0.0", 5353, "udp", 53), webPort("0.0.0.0", 9000, "sctp", 9000))));
    }

    @Test
    void iccOff() throws IOException {
        BridgeNetwork quiet = new BridgeNetwork("b1", "br-bbbbbbbbbbbb", "172.19.0.0/16", false, false, true);
        assertGolden("icc-off", new HostFirewall("h1", List.of(quiet), List.of()));
    }

    @Test
    void internalNetworkPublishesNothingAndHasNoWayOut() throws IOException {
        BridgeNetwork internal = new BridgeNetwork("c1", "br-cccccccccccc", "172.20.0.0/16", true, true, true);
        PublishedPort ignored = new PublishedPort("br-cccccccccccc", "0.0.0.0", 8081, "tcp", "172.20.0.2", 80);
        assertGolden("internal", new HostFirewall("h1", List.of(internal), List.of(ignored)));
    }

    @Test
    void masqueradeOff() throws IOException {
        BridgeNetwork noMasq = new BridgeNetwork("d1", "br-dddddddddddd", "172.21.0.0/16", false, true, false);
        assertGolden("masquerade-off", new HostFirewall("h1", List.of(noMasq), List.of()));
    }

    @Test
    void twoNetworksAreIsolatedFromEachOther() throws IOException {
        BridgeNetwork other = new BridgeNetwork("e1", "br-eeeeeeeeeeee", "172.22.0.0/16", false, true, true);
        assertGolden("two-networks", new HostFirewall("h1", List.of(other, web()),
                List.of(webPort("0.0.0.0", 8080, "tcp", 80),
                        new PublishedPort("br-eeeeeeeeeeee", "0.0.0.0", 8081, "tcp", "172.22.0.3", 80))));
    }

    /**
     * A host where a Docker container leaves through its overlay endpoint (the overlay's local bridge
     * is covered) beside netplane's own overlay sandbox, which leaves and publishes through
     * netplane_gwbridge: each bridge gets a bridge network's rules, nothing of another shape.
     */
    @Test
    void overlayBridgeOfADockerContainerBesideTheGatewayBridge() throws IOException {
        BridgeNetwork overlay = new BridgeNetwork("f1", "br-ffffffffffff", "10.0.1.0/24", false, true, true);
        BridgeNetwork gwbridge = new BridgeNetwork("g1", "np_gwbridge", "172.31.0.0/16", false, false, true);
        assertGolden("overlay-gateway", new HostFirewall("h1", List.of(overlay, gwbridge),
                List.of(new PublishedPort("br-ffffffffffff", "0.0.0.0", 8080, "tcp", "10.0.1.2", 80),
                        new PublishedPort("np_gwbridge", "0.0.0.0", 8081, "tcp", "172.31.0.2", 80))));
    }

    @Test
    void sameStateGivesTheSameDocumentWhateverTheInputOrder() {
        BridgeNetwork other = new BridgeNetwork("e1", "br-eeeeeeeeeeee", "172.22.0.0/16", false, true, true);
        PublishedPort a = webPort("0.0.0.0", 8080, "tcp", 80);
        PublishedPort b = webPort("0.0.0.0", 8079, "tcp", 79);
        String one = compiler.compile(new HostFirewall("h1", List.of(web(), other), List.of(a, b))).document();
        String two = compiler.compile(new HostFirewall("h1", List.of(other, web()), List.of(b, a))).document();
        assertThat(one).isEqualTo(two);
    }

    private void assertGolden(String name, HostFirewall firewall) throws IOException {
        Ruleset ruleset = compiler.compile(firewall);
        String actual = ruleset.document() + "# chains\n" + String.join("\n", ruleset.chains())
                + "\n# jumps\n" + String.join("\n", ruleset.jumps()) + "\n";
        Path file = GOLDEN.resolve(name + ".rules");
        String golden = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (Boolean.getBoolean("golden.update") && !actual.equals(golden)) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            // a rewritten golden never passes in the run that wrote it: someone has to look first
            fail("rewrote " + file + ": check it by hand against docker-libnetwork.md §4 (git diff),"
                    + " then run again without -Dgolden.update");
        }
        assertThat(actual).isEqualTo(golden);
    }
}
