package io.netplane.nat.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Applies a computed ruleset with the real iptables-restore inside a "host" namespace and proves
 * it with real HTTP traffic between container namespaces, the host and an outside client.
 *
 * <pre>
 * out 192.0.2.2 ── uplink ── host 192.0.2.1
 *                            ├ br-web   172.30.1.0/24  web (server, -p 8080:80)
 *                            ├ br-other 172.30.2.0/24  other (client)
 *                            ├ br-int   172.30.3.0/24  intsrv (server), intcli (client)   --internal
 *                            └ br-quiet 172.30.4.0/24  qsrv (server), qcli (client)       enable_icc=false
 * </pre>
 *
 * Every "cannot reach" is paired with a check that the same client reaches something else, and
 * the cross-network, ICC and direct-access cases are first shown to work without the ruleset.
 */
class RulesetInNamespacesTest {

    private static final String OUT_IP = "192.0.2.2";
    private static final String HOST_IP = "192.0.2.1";
    private static final String WEB_IP = "172.30.1.2";

    private static Namespaces ns;

    @BeforeAll
    static void buildHostAndContainers() throws Exception {
        ns = new Namespaces("npnat" + ProcessHandle.current().pid());
        for (String n : List.of("host", "out", "web", "other", "intsrv", "intcli", "qsrv", "qcli")) {
            ns.add(n);
        }
        ns.in("host", "sysctl", "-qw", "net.ipv4.ip_forward=1");
        ns.veth("host", "uplink", "out", "eth0");
        ns.in("host", "ip", "addr", "add", HOST_IP + "/24", "dev", "uplink");
        ns.in("out", "ip", "addr", "add", OUT_IP + "/24", "dev", "eth0");
        // Lets "before the ruleset" checks and the direct-access check route to containers at all.
        ns.in("out", "ip", "route", "add", "172.30.0.0/16", "via", HOST_IP);

        bridge("br-web", "172.30.1", "web");
        bridge("br-other", "172.30.2", "other");
        bridge("br-int", "172.30.3", "intsrv", "intcli");
        bridge("br-quiet", "172.30.4", "qsrv", "qcli");
        // What the agent must do for DNAT from the host's own 127.0.0.1 (no userland proxy).
        ns.in("host", "sysctl", "-qw", "net.ipv4.conf.br-web.route_localnet=1");

        for (String server : List.of("out", "web", "intsrv", "qsrv")) {
            ns.httpServer(server);
        }
        // Before any test applies netplane's rules, the host routes freely between its bridges.
        assertThat(ns.fetch("other", WEB_IP, 80)).isEqualTo("web");
        assertThat(ns.fetch("qcli", "172.30.4.2", 80)).isEqualTo("qsrv");
        assertThat(ns.fetch("out", WEB_IP, 80)).isEqualTo("web");
    }

    /** A bridge in the host with gateway .1 and one container per name at .2, .3, ... (hairpin on its port). */
    private static void bridge(String br, String net, String... containers) throws Exception {
        ns.in("host", "ip", "link", "add", br, "type", "bridge");
        ns.in("host", "ip", "addr", "add", net + ".1/24", "dev", br);
        ns.in("host", "ip", "link", "set", br, "up");
        int host = 2;
        for (String c : containers) {
            String port = "v" + c;
            ns.veth("host", port, c, "eth0");
            ns.in("host", "ip", "link", "set", port, "master", br);
            ns.in("host", "ip", "link", "set", port, "type", "bridge_slave", "hairpin", "on");
            ns.in(c, "ip", "addr", "add", net + "." + host++ + "/24", "dev", "eth0");
            ns.in(c, "ip", "route", "add", "default", "via", net + ".1");
        }
    }

    @AfterAll
    static void removeEverything() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    private static HostFirewall firewall() {
        return new HostFirewall("h1",
                List.of(new BridgeNetwork("n-web", "br-web", "172.30.1.0/24", false, true, true),
                        new BridgeNetwork("n-other", "br-other", "172.30.2.0/24", false, true, true),
                        new BridgeNetwork("n-int", "br-int", "172.30.3.0/24", true, true, true),
                        new BridgeNetwork("n-quiet", "br-quiet", "172.30.4.0/24", false, false, true)),
                List.of(new PublishedPort("br-web", "0.0.0.0", 8080, "tcp", WEB_IP, 80)));
    }

    /** What the agent does: the document with --noflush, then each jump only if -C says it is missing. */
    private static void apply(Ruleset ruleset) throws Exception {
        Namespaces.Result restore = Namespaces.runWithInput(ruleset.document(), "ip", "netns", "exec", ns.name("host"),
                "iptables-restore", "--noflush");
        assertThat(restore.ok()).as(restore.out()).isTrue();
        for (String jump : ruleset.jumps()) {
            String[] words = jump.split(" ");
            String[] spec = Arrays.copyOfRange(words, 2, words.length);
            if (!ns.tryIn("host", concat(new String[] {"iptables", "-t", words[0], "-C", words[1]}, spec)).ok()) {
                ns.in("host", concat(new String[] {"iptables", "-t", words[0], "-A", words[1]}, spec));
            }
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void theSixBehavioursHoldWithRealTraffic() throws Exception {
        Ruleset ruleset = new RulesetCompiler().compile(firewall());
        apply(ruleset);

        // 1. an outside client reaches the container through the published port
        assertThat(ns.fetch("out", HOST_IP, 8080)).isEqualTo("web");
        // ... but not the container's own address (only published ports come in)
        assertThat(ns.fetch("out", WEB_IP, 80)).isEmpty();
        // 2. the host reaches it through 127.0.0.1 and through its own address
        assertThat(ns.fetch("host", "127.0.0.1", 8080)).isEqualTo("web");
        assertThat(ns.fetch("host", HOST_IP, 8080)).isEqualTo("web");
        // 3. a container reaches its own published port (hairpin), by the host address and its gateway
        assertThat(ns.fetch("web", HOST_IP, 8080)).isEqualTo("web");
        assertThat(ns.fetch("web", "172.30.1.1", 8080)).isEqualTo("web");
        // 4. containers on two bridge networks cannot reach each other; the way out still works
        assertThat(ns.fetch("other", OUT_IP, 80)).isEqualTo("out");
        assertThat(ns.fetch("other", WEB_IP, 80)).isEmpty();
        assertThat(ns.fetch("web", "172.30.2.2", 80)).isEmpty();
        // ... while a published port stays reachable from another network, as in Docker
        assertThat(ns.fetch("other", HOST_IP, 8080)).isEqualTo("web");
        // 5. an internal network cannot get out, nor be reached; inside it containers talk
        assertThat(ns.fetch("intcli", "172.30.3.2", 80)).isEqualTo("intsrv");
        assertThat(ns.fetch("intcli", OUT_IP, 80)).isEmpty();
        assertThat(ns.fetch("intcli", WEB_IP, 80)).isEmpty();
        assertThat(ns.fetch("out", "172.30.3.2", 80)).isEmpty();
        // 6. with ICC off two containers of one network cannot talk; the way out still works
        assertThat(ns.fetch("qcli", OUT_IP, 80)).isEqualTo("out");
        assertThat(ns.fetch("qcli", "172.30.4.2", 80)).isEmpty();
    }

    @Test
    void applyingTheSameRulesetTwiceChangesNothing() throws Exception {
        Ruleset ruleset = new RulesetCompiler().compile(firewall());
        apply(ruleset);
        String first = ns.in("host", "iptables-save");
        apply(ruleset);
        assertThat(stripCounters(ns.in("host", "iptables-save"))).isEqualTo(stripCounters(first));
        assertThat(first.lines().filter(l -> l.equals("-A FORWARD -j NETPLANE-FORWARD"))).hasSize(1);
    }

    @Test
    void aSmallerRulesetReplacesTheOldOne() throws Exception {
        apply(new RulesetCompiler().compile(firewall()));
        HostFirewall withoutPort = new HostFirewall("h1", firewall().bridges(), List.of());
        apply(new RulesetCompiler().compile(withoutPort));
        // The port's range chain is no longer jumped to (the whole document does not delete it; the agent does).
        assertThat(ns.in("host", "iptables", "-t", "nat", "-S", "NETPLANE")).doesNotContain("NETPLANE-TCP-8000");
        assertThat(ns.fetch("out", HOST_IP, 8080)).isEmpty();
        apply(new RulesetCompiler().compile(firewall()));
        assertThat(ns.fetch("out", HOST_IP, 8080)).isEqualTo("web");
    }

    private static String stripCounters(String save) {
        return save.lines().filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("\\[\\d+:\\d+\\]", ""))
                .reduce("", (a, b) -> a + b + "\n");
    }
}
