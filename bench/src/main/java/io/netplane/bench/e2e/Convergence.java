package io.netplane.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netplane.localcluster.LocalCluster;
import io.netplane.localcluster.up.Deployment;
import io.netplane.localcluster.up.Shell;
import io.netplane.localcluster.up.SimulatedHosts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Convergence on a simulated host with the real services and agent: for each of N containers,
 * the time from the API request to its first successful ping to a peer on the same network, and,
 * in the same run, the time a {@code ?wait=true} request takes to come back. Each probe is one
 * {@code nsenter ... ping} process pinging every 2 ms (see {@link #ping}); then the CPU time each
 * process of the run spent per connect-and-remove cycle.
 *
 * <p>Usage: Convergence [connects]   (run as root, from the repository root, after a build)
 */
public final class Convergence {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path root = Path.of("").toAbsolutePath();
        Path work = Files.createTempDirectory("netplane-convergence-");
        try (LocalCluster cluster = LocalCluster.start(work.resolve("cluster"));
                SimulatedHosts hosts = SimulatedHosts.create("conv", 1);
                Deployment d = Deployment.start(root, cluster, hosts, Deployment.PortPlan.free(), work.resolve("logs"),
                        (name, pid) -> { }, Map.of("netplane.dns.upstreams", "127.0.0.1:9"))) {
            String api = d.apiUrl();
            post(api + "/v1/networks", "{\"name\":\"conv\",\"driver\":\"bridge\"}");
            JsonNode peer = post(api + "/v1/containers?wait=true", container("peer"));
            String peerIp = peer.get("endpoints").get(0).get("ipv4Address").asText().split("/")[0];

            Map<String, Long> cpuBefore = cpuByProcess(work);
            long wallBefore = System.nanoTime();
            List<Double> toPing = new ArrayList<>();
            List<Double> waitReturn = new ArrayList<>();
            List<Double> waitThenPing = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = "p" + i;
                long t0 = System.nanoTime();
                JsonNode c = post(api + "/v1/containers", container(name));
                while (!ping("h1-" + name, peerIp)) {
                    if (System.nanoTime() - t0 > 30_000_000_000L) {
                        throw new IllegalStateException(name + " never reached its peer");
                    }
                }
                toPing.add((System.nanoTime() - t0) / 1e6);
                delete(api + "/v1/containers/" + c.get("id").asText());

                String waited = "w" + i;
                long w0 = System.nanoTime();
                JsonNode cw = post(api + "/v1/containers?wait=true", container(waited));
                waitReturn.add((System.nanoTime() - w0) / 1e6);
                while (!ping("h1-" + waited, peerIp)) {
                    if (System.nanoTime() - w0 > 30_000_000_000L) {
                        throw new IllegalStateException(waited + " never reached its peer");
                    }
                }
                waitThenPing.add((System.nanoTime() - w0) / 1e6);
                delete(api + "/v1/containers/" + cw.get("id").asText());
            }
            long wallMs = (System.nanoTime() - wallBefore) / 1_000_000;
            Map<String, Long> cpuAfter = cpuByProcess(work);
            System.out.printf("connects: %d each%n", n);
            report("request -> first successful ping", toPing);
            report("?wait=true returns", waitReturn);
            report("?wait=true -> first successful ping", waitThenPing);
            System.out.printf("CPU per connect-and-remove cycle (%d cycles of both kinds, %.1f s wall):%n", 2 * n, wallMs / 1000.0);
            long total = 0;
            for (var e : cpuAfter.entrySet()) {
                long used = e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L);
                total += used;
                System.out.printf("  %-28s %6.1f ms%n", e.getKey(), used / (2.0 * n));
            }
            System.out.printf("  %-28s %6.1f ms%n", "all", total / (2.0 * n));
        }
        System.exit(0);
    }

    private static String container(String name) {
        return "{\"name\":\"" + name + "\",\"hostId\":\"h1\",\"sandbox\":\"create\",\"networks\":[{\"network\":\"conv\"}]}";
    }

    /**
     * One probe: fails at once while the sandbox or its route is missing; once the container has
     * a route, one ping process sends every 2 ms until the first reply (or 1 s), so the probe
     * neither misses a reply by 200 ms nor spawns a process every few milliseconds. nsenter enters
     * only the network namespace: ip netns exec would also build a mount namespace per probe, CPU
     * taken from the system being measured.
     */
    private static boolean ping(String sandbox, String ip) {
        return Shell.run(List.of("nsenter", "--net=/var/run/netns/" + sandbox, "ping", "-c", "1", "-i", "0.002", "-w", "1",
                "-q", ip), 5).ok();
    }

    /**
     * CPU time (user + system, with reaped children such as the agent's iptables and the probes'
     * nsenter/ping) of this run's processes, by what they are: this driver, its child services and
     * broker, and the PostgreSQL server whose data lives under {@code work}.
     */
    private static Map<String, Long> cpuByProcess(Path work) {
        List<ProcessHandle> ours = new ArrayList<>();
        ours.add(ProcessHandle.current());
        ProcessHandle.current().descendants().forEach(ours::add);
        ProcessHandle.allProcesses().filter(ph -> cmdline(ph).contains(work.toString()) && cmdline(ph).contains("postgres"))
                .forEach(pm -> {
                    ours.add(pm);
                    pm.descendants().forEach(ours::add);
                });
        Map<String, Long> out = new java.util.TreeMap<>();
        for (ProcessHandle ph : ours) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(ph.pid()), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                String cmd = cmdline(ph);
                String what = ph.pid() == ProcessHandle.current().pid() ? "bench driver (HTTP, probes)"
                        : cmd.contains("quarkus-run.jar") ? cmd.replaceAll(".*/([a-z-]+)/target/quarkus-app/quarkus-run\\.jar.*", "$1")
                        : cmd.contains("ChildLauncher") ? "kafka broker"
                        : cmd.contains("postgres") ? "postgresql"
                        : null;
                if (what != null) {
                    out.merge(what, ticks * 10, Long::sum); // USER_HZ is 100 on Linux
                }
            } catch (java.io.IOException | RuntimeException e) {
                // gone in the meantime
            }
        }
        return out;
    }

    private static String cmdline(ProcessHandle ph) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(ph.pid()), "cmdline")).replace('\0', ' ');
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    private static void report(String what, List<Double> ms) {
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        System.out.printf("%-40s p50 %7.1f ms   p99 %7.1f ms   max %7.1f ms%n", what, pct(s, 50), pct(s, 99),
                s.get(s.size() - 1));
    }

    private static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static JsonNode post(String url, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static void delete(String url) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(url)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }
}
