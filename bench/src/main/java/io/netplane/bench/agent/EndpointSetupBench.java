package io.netplane.bench.agent;

import io.netplane.agent.netlink.Ip;
import io.netplane.agent.netlink.LinkInfo;
import io.netplane.agent.netlink.RtNetlink;
import io.netplane.agent.netns.NamespaceManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * N endpoints set up through the agent's netlink layer, beside the same through {@code ip -batch}.
 * An endpoint is: a veth pair (host side in namespace H, peer created directly in namespace C),
 * the host side made a port of a bridge and set up, an address on the peer, the peer set up,
 * and a route via the peer's subnet. Each round starts from two fresh namespaces; teardown is
 * not timed. Usage: EndpointSetupBench [endpoints] [rounds]
 */
public final class EndpointSetupBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<Long> java = new ArrayList<>();
        List<Long> ip = new ArrayList<>();
        try (NamespaceManager ns = new NamespaceManager()) {
            // one unmeasured warm-up of each, so class loading and the JIT do not count
            java.add(0, netlink(ns, 50));
            ipBatch(ns, 50);
            java.clear();
            for (int r = 0; r < rounds; r++) {
                java.add(netlink(ns, n));
                ip.add(ipBatch(ns, n));
            }
        }
        long j = median(java);
        long i = median(ip);
        System.out.printf("endpoints=%d rounds=%d%n", n, rounds);
        System.out.printf("netplane netlink: median %.1f ms total, %.3f ms/endpoint, runs %s%n", j / 1e6, j / 1e6 / n,
                millis(java));
        System.out.printf("ip -batch:        median %.1f ms total, %.3f ms/endpoint, runs %s%n", i / 1e6, i / 1e6 / n,
                millis(ip));
        System.out.printf("ratio netplane/ip-batch: %.2f%n", (double) j / i);
    }

    private static long netlink(NamespaceManager ns, int n) {
        String h = "npbench-h";
        String c = "npbench-c";
        fresh(ns, h, c);
        try (RtNetlink host = ns.rtnetlink(NamespaceManager.pathOf(h));
                RtNetlink cont = ns.rtnetlink(NamespaceManager.pathOf(c))) {
            host.createBridge("br-bench", "02:42:0a:00:00:01", 0);
            int bridge = host.require("br-bench").index();
            host.setUp(bridge, true);
            int cfd = ns.openFd(NamespaceManager.pathOf(c));
            long start = System.nanoTime();
            try {
                for (int k = 0; k < n; k++) {
                    host.createVeth("vb" + k, "c" + k, cfd, null, 0);
                }
                long created = System.nanoTime();
                Map<String, Integer> hostIdx = index(host.links());
                Map<String, Integer> contIdx = index(cont.links());
                for (int k = 0; k < n; k++) {
                    int hi = hostIdx.get("vb" + k);
                    host.setMaster(hi, bridge);
                    host.setUp(hi, true);
                }
                long ported = System.nanoTime();
                for (int k = 0; k < n; k++) {
                    int ci = contIdx.get("c" + k);
                    cont.addAddress(ci, new Ip.Cidr(address(k), 30));
                    cont.setUp(ci, true);
                    cont.addRoute(Ip.Cidr.parse(routed(k) + "/32"), gateway(k), ci);
                }
                long end = System.nanoTime();
                System.out.printf("  netlink round: pairs %.0f ms, ports %.0f ms, container side %.0f ms%n",
                        (created - start) / 1e6, (ported - created) / 1e6, (end - ported) / 1e6);
                return end - start;
            } finally {
                ns.closeFd(cfd);
            }
        } finally {
            ns.remove(h);
            ns.remove(c);
        }
    }

    private static long ipBatch(NamespaceManager ns, int n) throws IOException, InterruptedException {
        String h = "npbench-h";
        String c = "npbench-c";
        fresh(ns, h, c);
        Path hostFile = Files.createTempFile("npbench-host", ".batch");
        Path contFile = Files.createTempFile("npbench-cont", ".batch");
        try {
            run("ip", "-n", h, "link", "add", "br-bench", "address", "02:42:0a:00:00:01", "type", "bridge");
            run("ip", "-n", h, "link", "set", "br-bench", "up");
            StringBuilder hb = new StringBuilder();
            StringBuilder cb = new StringBuilder();
            for (int k = 0; k < n; k++) {
                hb.append("link add vb").append(k).append(" type veth peer name c").append(k).append(" netns ").append(c)
                        .append('\n');
            }
            for (int k = 0; k < n; k++) {
                hb.append("link set vb").append(k).append(" master br-bench up\n");
                cb.append("addr add ").append(address(k)).append("/30 dev c").append(k).append('\n');
                cb.append("link set c").append(k).append(" up\n");
                cb.append("route add ").append(routed(k)).append("/32 via ").append(gateway(k)).append(" dev c")
                        .append(k).append('\n');
            }
            Files.writeString(hostFile, hb);
            Files.writeString(contFile, cb);
            long start = System.nanoTime();
            run("ip", "-n", h, "-batch", hostFile.toString());
            long hostDone = System.nanoTime();
            run("ip", "-n", c, "-batch", contFile.toString());
            long end = System.nanoTime();
            System.out.printf("  ip round: host batch (pairs + ports) %.0f ms, container batch %.0f ms%n",
                    (hostDone - start) / 1e6, (end - hostDone) / 1e6);
            return end - start;
        } finally {
            Files.deleteIfExists(hostFile);
            Files.deleteIfExists(contFile);
            ns.remove(h);
            ns.remove(c);
        }
    }

    /** Endpoint k gets 10.0.(k/64).(k%64*4+1)/30; its route to 172.16.x.y/32 goes via the .2 of that /30. */
    static String address(int k) {
        return "10.0." + (k / 64) + "." + (k % 64 * 4 + 1);
    }

    static String gateway(int k) {
        return "10.0." + (k / 64) + "." + (k % 64 * 4 + 2);
    }

    static String routed(int k) {
        return "172.16." + (k / 250) + "." + (k % 250 + 1);
    }

    private static void fresh(NamespaceManager ns, String... names) {
        for (String name : names) {
            ns.remove(name);
            ns.create(name);
        }
    }

    private static Map<String, Integer> index(List<LinkInfo> links) {
        Map<String, Integer> out = new HashMap<>();
        links.forEach(l -> out.put(l.name(), l.index()));
        return out;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static String millis(List<Long> xs) {
        return xs.stream().map(x -> String.format("%.0f", x / 1e6)).toList().toString();
    }
}
