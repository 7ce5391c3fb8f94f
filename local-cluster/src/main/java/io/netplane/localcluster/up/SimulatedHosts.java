package io.netplane.localcluster.up;

import java.util.ArrayList;
import java.util.List;

/**
 * Several machines on one: a named network namespace per host, each with an underlay interface
 * {@code eth0} on 192.0.2.0/24 joined by a bridge in an underlay namespace, and an "outside"
 * namespace at 192.0.2.254 standing in for the world beyond (every host's default route).
 * Nothing is created in the machine's own namespace. {@link #close()} removes it all.
 */
public final class SimulatedHosts implements AutoCloseable {

    public static final String UNDERLAY_PREFIX = "192.0.2.";
    public static final String OUTSIDE_ADDRESS = "192.0.2.254";

    /** One simulated machine: its host id, namespace and underlay address. */
    public record Host(String id, String netns, String underlayAddress) {
    }

    private final String prefix;
    private final String hostIdPrefix;
    private final List<Host> hosts = new ArrayList<>();

    private SimulatedHosts(String prefix, String hostIdPrefix) {
        this.prefix = prefix;
        this.hostIdPrefix = hostIdPrefix;
    }

    /**
     * Creates hosts h1..hN. {@code prefix} makes every namespace name unique to this test bed
     * (e.g. "np" gives np-h1, np-h2, np-underlay, np-outside).
     */
    public static SimulatedHosts create(String prefix, int count) {
        return create(prefix, "h", count);
    }

    /**
     * Creates hosts {@code hostIdPrefix}1..N (namespaces {@code prefix-<host id>}). A bed that runs
     * beside another on the same machine (netplane up and e2e use h1, h2 ...) needs host ids of its
     * own, not only namespaces: sandboxes are named {@code <host id>-<container>}, an agent removes
     * those of its host id that it no longer wants, and {@link Deployment#close} removes them all.
     */
    public static SimulatedHosts create(String prefix, String hostIdPrefix, int count) {
        SimulatedHosts bed = new SimulatedHosts(prefix, hostIdPrefix);
        try {
            bed.build(count);
            return bed;
        } catch (RuntimeException e) {
            bed.close();
            throw e;
        }
    }

    public List<Host> hosts() {
        return List.copyOf(hosts);
    }

    public Host host(String id) {
        return hosts.stream().filter(h -> h.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host " + id));
    }

    public String outsideNetns() {
        return prefix + "-outside";
    }

    public String underlayNetns() {
        return prefix + "-underlay";
    }

    private void build(int count) {
        removeNamespaces(count);
        String ul = underlayNetns();
        Shell.must("ip", "netns", "add", ul);
        Shell.must("ip", "-n", ul, "link", "set", "lo", "up");
        Shell.must("ip", "-n", ul, "link", "add", "ul0", "type", "bridge");
        Shell.must("ip", "-n", ul, "link", "set", "ul0", "up");
        attach(outsideNetns(), "ulo", OUTSIDE_ADDRESS);
        for (int i = 1; i <= count; i++) {
            String id = hostIdPrefix + i;
            String ns = prefix + "-" + id;
            String address = UNDERLAY_PREFIX + (10 + i);
            attach(ns, "ul" + i, address);
            Shell.must("ip", "-n", ns, "route", "add", "default", "via", OUTSIDE_ADDRESS);
            Shell.must("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            hosts.add(new Host(id, ns, address));
        }
    }

    /** A namespace with eth0 on the underlay bridge. */
    private void attach(String ns, String underlaySide, String address) {
        String ul = underlayNetns();
        Shell.must("ip", "netns", "add", ns);
        Shell.must("ip", "-n", ns, "link", "set", "lo", "up");
        Shell.must("ip", "-n", ul, "link", "add", underlaySide, "type", "veth", "peer", "name", "eth0", "netns", ns);
        Shell.must("ip", "-n", ul, "link", "set", underlaySide, "master", "ul0", "up");
        Shell.must("ip", "-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        Shell.must("ip", "-n", ns, "link", "set", "eth0", "up");
    }

    private void removeNamespaces(int count) {
        for (int i = 1; i <= Math.max(count, 8); i++) {
            Shell.run("ip", "netns", "del", prefix + "-" + hostIdPrefix + i);
        }
        Shell.run("ip", "netns", "del", outsideNetns());
        Shell.run("ip", "netns", "del", underlayNetns());
    }

    /** For `netplane down` after a killed run: the test bed's namespaces and its hosts' sandboxes. */
    public static void removeLeftovers(String prefix, List<String> hostIds) {
        new SimulatedHosts(prefix, "h").removeNamespaces(8);
        Sandboxes.removeAll(hostIds.stream().map(id -> new Host(id, prefix + "-" + id, "")).toList());
    }

    @Override
    public void close() {
        removeNamespaces(hosts.size());
        hosts.clear();
    }
}
