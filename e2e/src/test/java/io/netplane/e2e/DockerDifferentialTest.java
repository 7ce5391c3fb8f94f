package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.localcluster.up.Shell;
import io.netplane.localcluster.up.SimulatedHosts;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One scenario run twice on the same dockerd: once on a network of Docker's own `bridge` driver,
 * once on netplane's, and everything a user can observe compared. The subnets differ only in
 * their third octet, so addresses and MACs are compared with it masked. The differences that
 * remain are the ones README's "Docker driver: what differs from Docker's bridge" lists.
 */
class DockerDifferentialTest extends DockerScenario {

    /** What a user sees of the scenario on one driver, addresses written as ".N" or masked. */
    record Seen(String addresses, String gateway, String macs, String hosts, String resolvConf, String lookups,
            String pings, String isolation, String portsByDocker, String portReached, String portOnIpv6,
            String errorOutsideIp, String errorTakenIp) {
    }

    @Test
    void netplaneLooksToAUserAsDockersOwnBridgeDriverDoes() {
        Seen docker = scenario("bridge", 130, "-d", "bridge");
        Seen netplane = scenario("np", 131, "-d", NETPLANE, "--ipam-driver", NETPLANE, "-o", "netplane.driver=bridge");

        assertThat(netplane.addresses()).isEqualTo(docker.addresses());
        assertThat(netplane.gateway()).isEqualTo(docker.gateway());
        assertThat(netplane.macs()).isEqualTo(docker.macs());
        assertThat(netplane.hosts()).isEqualTo(docker.hosts());
        assertThat(netplane.resolvConf()).isEqualTo(docker.resolvConf());
        assertThat(netplane.lookups()).isEqualTo(docker.lookups());
        assertThat(netplane.pings()).isEqualTo(docker.pings());
        assertThat(netplane.isolation()).isEqualTo(docker.isolation());
        assertThat(netplane.portReached()).isEqualTo(docker.portReached());
        assertThat(docker.portOnIpv6()).as("Docker 20.10's docker-proxy answers on [::] too").isEqualTo("hello");
        assertThat(netplane.portOnIpv6()).isEqualTo(docker.portOnIpv6());
        assertThat(netplane.errorOutsideIp()).isEqualTo(docker.errorOutsideIp());
        // listed differences (README says why): dockerd prefixes a remote driver's refusals with "remote: ",
        assertThat(netplane.errorTakenIp()).isEqualTo(docker.errorTakenIp().replace("daemon: ", "daemon: remote: "));
        // and cannot show a remote driver's ports
        assertThat(docker.portsByDocker()).isEqualTo("80/tcp -> 0.0.0.0:18090");
        assertThat(netplane.portsByDocker()).isEmpty();
    }

    /** What a user sees of an --internal network on one driver: routes, reach, ports, links. */
    record SeenInternal(String route, String gatewayReached, String outsideReached, String routeWithAWayOut,
            String routeAfterDisconnect, String portReached, String linkLookup, String linkInHosts) {
    }

    @Test
    void anInternalNetworkAndALinkOnAUserNetworkLookTheSameOnBothDrivers() {
        SeenInternal docker = internalScenario("bridge", 132, "-d", "bridge");
        SeenInternal netplane = internalScenario("np", 133, "-d", NETPLANE, "--ipam-driver", NETPLANE, "-o",
                "netplane.driver=bridge");

        assertThat(docker.route()).as("Docker 20.10 routes an internal network via its gateway")
                .startsWith("default via <net>.0.1 dev eth0");
        assertThat(docker.gatewayReached()).isEqualTo("gateway true");
        assertThat(docker.linkInHosts()).isEqualTo("db in hosts false");
        assertThat(netplane).isEqualTo(docker);
    }

    private SeenInternal internalScenario(String tag, int octet, String... driver) {
        String vault = "vault-" + tag;
        String open = "open-" + tag;
        String prefix = "10." + octet + ".";
        List<String> create = new ArrayList<>(List.of(driver));
        create.addAll(List.of("--internal", "--subnet", prefix + "0.0/24"));
        network("h1", vault, create.toArray(String[]::new));
        List<String> createOpen = new ArrayList<>(List.of(driver));
        createOpen.addAll(List.of("--subnet", prefix + "1.0/24"));
        network("h1", open, createOpen.toArray(String[]::new));

        String keeper = run("h1", "keeper-" + tag, "--network", vault);
        String gateway = prefix + "0.1"; // inspect shows none for a --subnet given without --gateway (20.10)
        String route = routes(keeper);
        String gatewayReached = "gateway " + pingOnce("h1", keeper, gateway);
        String outsideReached = "outside " + pingOnce("h1", keeper, SimulatedHosts.OUTSIDE_ADDRESS);
        must("h1", "network", "connect", open, keeper);
        String withWayOut = routes(keeper);
        must("h1", "network", "disconnect", open, keeper);
        String afterDisconnect = routes(keeper);

        String port = tag.equals("bridge") ? "18092" : "18093";
        onCleanup(() -> docker("h1", "rm", "-f", "shut-" + tag));
        must("h1", "run", "-d", "--name", "shut-" + tag, "--network", vault, "-p", port + ":80", "busybox", "sh",
                "-c", "echo hello > /index.html && httpd -f -p 80 -h /");
        String reached = "port " + Shell.inNetns(bed.hostNetns("h2"), 10, "curl", "-s", "-m", "3",
                "http://" + bed.underlay("h1") + ":" + port + "/").ok();

        // --link on a user-defined network: a name for the linking container only, nothing in /etc/hosts
        String linker = run("h1", "linker-" + tag, "--network", vault, "--link", keeper + ":db");
        String linkLookup = "linker " + mask(lookup("h1", linker, "db").toString(), prefix) + ", keeper "
                + lookup("h1", keeper, "db");
        String linkInHosts = "db in hosts " + Pattern.compile("(?m)\\sdb(\\s|$)")
                .matcher(exec("h1", linker, "cat", "/etc/hosts").output()).find();
        return new SeenInternal(mask(route, prefix), gatewayReached, outsideReached, mask(withWayOut, prefix),
                mask(afterDisconnect, prefix), reached, linkLookup, linkInHosts);
    }

    private String routes(String container) {
        return exec("h1", container, "ip", "route").output().trim();
    }

    private Seen scenario(String tag, int octet, String... driver) {
        String net = "diff-" + tag;
        String other = "diff-other-" + tag;
        String prefix = "10." + octet + ".0.";
        List<String> create = new ArrayList<>(List.of(driver));
        create.addAll(List.of("--subnet", prefix + "0/24"));
        network("h1", net, create.toArray(String[]::new));
        List<String> createOther = new ArrayList<>(List.of(driver));
        createOther.addAll(List.of("--subnet", "10." + octet + ".1.0/24"));
        network("h1", other, createOther.toArray(String[]::new));

        String a1 = run("h1", "a1-" + tag, "--network", net, "--network-alias", "alias-" + tag);
        String a2 = run("h1", "a2-" + tag, "--network", net);
        String b1 = run("h1", "b1-" + tag, "--network", other);
        String ip1 = address("h1", a1, net);
        String ip2 = address("h1", a2, net);
        String port = tag.equals("bridge") ? "18090" : "18091";
        onCleanup(() -> docker("h1", "rm", "-f", "web-" + tag));
        must("h1", "run", "-d", "--name", "web-" + tag, "--network", net, "-p", port + ":80", "busybox", "sh", "-c",
                "echo hello > /index.html && httpd -f -p 80 -h /");
        pingSucceeds("h1", a1, ip2);

        String pings = "a1->a2 " + pingOnce("h1", a1, a2) + ", a2->a1 " + pingOnce("h1", a2, a1)
                + ", a2->alias " + pingOnce("h1", a2, "alias-" + tag);
        String isolation = "b1->a1 " + pingOnce("h1", b1, ip1) + ", a1->b1 "
                + pingOnce("h1", a1, address("h1", b1, other));
        String lookups = "a2 " + mask(lookup("h1", a1, a2).toString(), prefix) + ", alias "
                + mask(lookup("h1", a2, "alias-" + tag).toString(), prefix) + ", b1 from a1 "
                + lookup("h1", a1, b1);
        String reached = Shell.inNetns(bed.hostNetns("h2"), 10, "curl", "-s", "-m", "3",
                "http://" + bed.underlay("h1") + ":" + port + "/").output().trim();
        String onIpv6 = Shell.inNetns(bed.hostNetns("h1"), 10, "curl", "-s", "-m", "3", "-g",
                "http://[::1]:" + port + "/").output().trim();
        String hosts = mask(exec("h1", a1, "cat", "/etc/hosts").output(), prefix)
                .replace(must("h1", "inspect", "-f", "{{.Config.Hostname}}", a1), "<hostname>");
        return new Seen(mask(ip1 + " " + ip2, prefix),
                mask(must("h1", "network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}", net), prefix),
                mac(ip1, mac("h1", a1, net)) + " " + mac(ip2, mac("h1", a2, net)),
                hosts, exec("h1", a1, "cat", "/etc/resolv.conf").output(), lookups, pings, isolation,
                docker("h1", "port", "web-" + tag).output().trim().lines().findFirst().orElse(""), reached, onIpv6,
                mask(refusal("h1", "--network", net, "--ip", "10.99.0.7"), prefix),
                mask(refusal("h1", "--network", net, "--ip", ip1), prefix));
    }

    /** The error of a `docker run` that must fail, with the container name masked. */
    private String refusal(String host, String... options) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", "refused"));
        args.addAll(List.of(options));
        args.addAll(List.of("busybox", "true"));
        Shell.Result r = docker(host, args.toArray(String[]::new));
        docker(host, "rm", "-f", "refused");
        assertThat(r.ok()).as("docker run %s should fail", String.join(" ", options)).isFalse();
        return r.output().trim().replaceAll("[0-9a-f]{64}", "<id>");
    }

    /** A MAC in Docker's form relative to its address: "02:42+ip" when derived from it as Docker does. */
    private static String mac(String ip, String mac) {
        StringBuilder derived = new StringBuilder("02:42");
        for (String octet : ip.split("\\.")) {
            derived.append(':').append(String.format("%02x", Integer.parseInt(octet)));
        }
        return mac.contentEquals(derived) ? "02:42+ip" : "other(" + (mac.isEmpty() ? "none" : "random") + ")";
    }

    private static String mask(String text, String prefix) {
        return text.replace(prefix, "<net>.");
    }
}
