package io.netplane.bench.overlay;

import io.netplane.overlay.model.EndpointEntry;
import io.netplane.overlay.model.HostEntry;
import io.netplane.overlay.model.MeshModel;
import io.netplane.overlay.model.NetworkEntry;
import io.netplane.events.Names;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark cluster: {@code hosts} hosts with 100 endpoints each, on {@code networks}
 * overlay networks. Network 0 spans every host (one endpoint per host); the rest of the
 * endpoints are spread over the other networks, each spanning a window of {@code span}
 * consecutive hosts (so every host carries about 1 + (networks-1)*span/hosts networks).
 */
record Dataset(int hosts, int networks, int endpointsPerHost, int span) {

    static final int FIRST_VNI = MeshModel.FIRST_VNI;

    static String host(int h) {
        return String.format("host-%04d", h);
    }

    static String network(int n) {
        return String.format("%012x", 0xabc000000000L + n) + "0".repeat(52);
    }

    static String vtep(int h) {
        return "192.168." + (h >> 8 & 255) + "." + (h & 255);
    }

    List<HostEntry> hostEntries() {
        List<HostEntry> out = new ArrayList<>();
        for (int h = 0; h < hosts; h++) {
            out.add(new HostEntry(host(h), 1, vtep(h), "bench", Instant.now(), true));
        }
        return out;
    }

    List<NetworkEntry> networkEntries() {
        List<NetworkEntry> out = new ArrayList<>();
        for (int n = 0; n < networks; n++) {
            int vni = FIRST_VNI + n;
            out.add(new NetworkEntry(network(n), 1, "net" + n, vni, subnet(n), gateway(n), 1450,
                    "br-" + network(n).substring(0, 12), Names.vxlanDevice(vni, network(n))));
        }
        return out;
    }

    /** Every endpoint: host h gets one on network 0 and the rest on the narrow networks covering it. */
    List<EndpointEntry> endpointEntries() {
        List<EndpointEntry> out = new ArrayList<>();
        int[] nextHostIndex = new int[networks];
        for (int h = 0; h < hosts; h++) {
            out.add(endpoint(0, h, nextHostIndex));
            List<Integer> covering = narrowNetworksOf(h);
            for (int i = 1; i < endpointsPerHost; i++) {
                out.add(endpoint(covering.get(i % covering.size()), h, nextHostIndex));
            }
        }
        return out;
    }

    /** Narrow network n (1..networks-1) spans hosts start(n) .. start(n)+span-1 (wrapping). */
    List<Integer> narrowNetworksOf(int h) {
        List<Integer> out = new ArrayList<>();
        for (int n = 1; n < networks; n++) {
            int start = start(n);
            int offset = Math.floorMod(h - start, hosts);
            if (offset < span) {
                out.add(n);
            }
        }
        return out;
    }

    int start(int n) {
        return (int) ((long) (n - 1) * hosts / (networks - 1));
    }

    private EndpointEntry endpoint(int n, int h, int[] next) {
        int i = ++next[n];
        String ip = "10." + n + "." + (i >> 8 & 255) + "." + (i & 255);
        String mac = String.format("02:42:%02x:%02x:%02x:%02x", n >> 8 & 255, n & 255, i >> 8 & 255, i & 255);
        return new EndpointEntry(String.format("ep-%03d-%06d", n, i), 1, network(n), host(h), ip, mac);
    }

    private static String subnet(int n) {
        return "10." + n + ".0.0/16";
    }

    private static String gateway(int n) {
        return "10." + n + ".0.1";
    }

    MeshModel model() {
        MeshModel m = new MeshModel();
        hostEntries().forEach(m::putHost);
        networkEntries().forEach(m::putNetwork);
        endpointEntries().forEach(m::putEndpoint);
        return m;
    }
}
