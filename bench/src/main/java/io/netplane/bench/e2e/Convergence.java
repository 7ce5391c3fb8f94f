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
 * in the same run, the time a {@code ?wait=true} request takes to come back. Probing spawns
 * {@code ip netns exec ... ping} (a few ms each), which bounds the resolution.
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
            System.out.printf("connects: %d each%n", n);
            report("request -> first successful ping", toPing);
            report("?wait=true returns", waitReturn);
            report("?wait=true -> first successful ping", waitThenPing);
        }
        System.exit(0);
    }

    private static String container(String name) {
        return "{\"name\":\"" + name + "\",\"hostId\":\"h1\",\"sandbox\":\"create\",\"networks\":[{\"network\":\"conv\"}]}";
    }

    private static boolean ping(String sandbox, String ip) {
        return Shell.run(List.of("ip", "netns", "exec", sandbox, "ping", "-c", "1", "-W", "0.2", "-q", ip), 5).ok();
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
