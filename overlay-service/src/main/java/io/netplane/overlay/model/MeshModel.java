package io.netplane.overlay.model;

import io.netplane.events.OverlayNetworkMesh;
import io.netplane.events.model.MeshEndpoint;
import io.netplane.events.model.MeshHost;
import io.netplane.events.model.MeshNetwork;
import io.netplane.events.model.MeshPeer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The overlay view in memory: hosts, overlay networks, their endpoints, and the two indexes the
 * mesh needs (network to hosts to endpoints, host to networks). Building one host's mesh touches
 * only the networks that host carries, so the work of a change grows with the hosts of the
 * networks concerned, not with the cluster. Not thread-safe: the engine serialises access.
 */
public final class MeshModel {

    public static final int FIRST_VNI = 4096;
    public static final int MAX_VNI = (1 << 24) - 1;

    private final Map<String, HostEntry> hosts = new HashMap<>();
    private final Map<String, NetworkEntry> networks = new HashMap<>();
    private final Map<String, EndpointEntry> endpoints = new HashMap<>();
    /** Newest revision of networks and endpoints that are gone, so a stale creation cannot return. */
    private final Map<String, Long> removedNetworks = new HashMap<>();
    private final Map<String, Long> removedEndpoints = new HashMap<>();
    private final TreeSet<Integer> usedVnis = new TreeSet<>();
    /** network id -> host id -> endpoint id -> endpoint, sorted so meshes come out in a stable order. */
    private final Map<String, TreeMap<String, TreeMap<String, EndpointEntry>>> byNetwork = new HashMap<>();
    private final Map<String, TreeSet<String>> networksByHost = new HashMap<>();
    /** Revision of the last OverlayNetworkMesh published per network (kept after removal). */
    private final Map<String, Long> meshRevisions = new HashMap<>();

    // ---- hosts

    public Optional<HostEntry> host(String hostId) {
        return Optional.ofNullable(hosts.get(hostId));
    }

    public void putHost(HostEntry host) {
        hosts.put(host.hostId(), host);
    }

    public Collection<HostEntry> hosts() {
        return hosts.values();
    }

    // ---- networks

    public Optional<NetworkEntry> network(String networkId) {
        return Optional.ofNullable(networks.get(networkId));
    }

    /** Newest revision seen for a network, live or removed; 0 if never seen. */
    public long networkRevision(String networkId) {
        NetworkEntry n = networks.get(networkId);
        return n != null ? n.revision() : removedNetworks.getOrDefault(networkId, 0L);
    }

    public void putNetwork(NetworkEntry network) {
        NetworkEntry old = networks.put(network.networkId(), network);
        if (old != null) {
            usedVnis.remove(old.vni());
        }
        usedVnis.add(network.vni());
        removedNetworks.remove(network.networkId());
    }

    public void removeNetwork(String networkId, long revision) {
        NetworkEntry old = networks.remove(networkId);
        if (old != null) {
            usedVnis.remove(old.vni());
        }
        removedNetworks.put(networkId, revision);
    }

    /** The lowest VNI from 4096 up that no live network holds. */
    public int lowestFreeVni() {
        int candidate = FIRST_VNI;
        for (int used : usedVnis.tailSet(FIRST_VNI)) {
            if (used != candidate) {
                break;
            }
            candidate++;
        }
        if (candidate > MAX_VNI) {
            throw new IllegalStateException("no free VXLAN id left (all of 4096.." + MAX_VNI + " in use)");
        }
        return candidate;
    }

    /** A live network by name, if exactly one has it. */
    public Optional<NetworkEntry> networkNamed(String name) {
        List<NetworkEntry> named = networks.values().stream().filter(n -> name.equals(n.name())).toList();
        return named.size() == 1 ? Optional.of(named.get(0)) : Optional.empty();
    }

    public int networkCount() {
        return networks.size();
    }

    // ---- endpoints

    public Optional<EndpointEntry> endpoint(String endpointId) {
        return Optional.ofNullable(endpoints.get(endpointId));
    }

    public long endpointRevision(String endpointId) {
        EndpointEntry e = endpoints.get(endpointId);
        return e != null ? e.revision() : removedEndpoints.getOrDefault(endpointId, 0L);
    }

    public int endpointCount() {
        return endpoints.size();
    }

    /** Stores or replaces an endpoint (it may have moved host or network); returns the previous one. */
    public Optional<EndpointEntry> putEndpoint(EndpointEntry endpoint) {
        EndpointEntry old = endpoints.put(endpoint.endpointId(), endpoint);
        if (old != null) {
            unindex(old);
        }
        removedEndpoints.remove(endpoint.endpointId());
        byNetwork.computeIfAbsent(endpoint.networkId(), k -> new TreeMap<>())
                .computeIfAbsent(endpoint.hostId(), k -> new TreeMap<>())
                .put(endpoint.endpointId(), endpoint);
        networksByHost.computeIfAbsent(endpoint.hostId(), k -> new TreeSet<>()).add(endpoint.networkId());
        return Optional.ofNullable(old);
    }

    public Optional<EndpointEntry> removeEndpoint(String endpointId, long revision) {
        EndpointEntry old = endpoints.remove(endpointId);
        if (old != null) {
            unindex(old);
        }
        removedEndpoints.put(endpointId, revision);
        return Optional.ofNullable(old);
    }

    private void unindex(EndpointEntry e) {
        TreeMap<String, TreeMap<String, EndpointEntry>> hostsOfNet = byNetwork.get(e.networkId());
        TreeMap<String, EndpointEntry> onHost = hostsOfNet.get(e.hostId());
        onHost.remove(e.endpointId());
        if (onHost.isEmpty()) {
            hostsOfNet.remove(e.hostId());
            TreeSet<String> nets = networksByHost.get(e.hostId());
            nets.remove(e.networkId());
            if (nets.isEmpty()) {
                networksByHost.remove(e.hostId());
            }
        }
        if (hostsOfNet.isEmpty()) {
            byNetwork.remove(e.networkId());
        }
    }

    // ---- membership

    /** Hosts with at least one endpoint on the network (up or not). */
    public Set<String> hostsCarrying(String networkId) {
        var hostsOfNet = byNetwork.get(networkId);
        return hostsOfNet == null ? Set.of() : Set.copyOf(hostsOfNet.keySet());
    }

    public Set<String> networksOf(String hostId) {
        var nets = networksByHost.get(hostId);
        return nets == null ? Set.of() : Set.copyOf(nets);
    }

    /** Every endpoint of a network, by host. */
    public Map<String, List<EndpointEntry>> endpointsOf(String networkId) {
        var hostsOfNet = byNetwork.get(networkId);
        Map<String, List<EndpointEntry>> out = new TreeMap<>();
        if (hostsOfNet != null) {
            hostsOfNet.forEach((host, eps) -> out.put(host, List.copyOf(eps.values())));
        }
        return out;
    }

    // ---- the published records

    public long meshRevision(String networkId) {
        return meshRevisions.getOrDefault(networkId, 0L);
    }

    public void putMeshRevision(String networkId, long revision) {
        meshRevisions.put(networkId, revision);
    }

    /**
     * The record of one network as published: its device facts and every host carrying it (up or
     * not) with its VTEP and endpoints; a removed record once the network is gone.
     */
    public OverlayNetworkMesh networkMesh(String networkId, long revision, Instant time) {
        NetworkEntry net = networks.get(networkId);
        if (net == null) {
            return OverlayNetworkMesh.removed(networkId, revision, time);
        }
        List<MeshHost> carriers = new ArrayList<>();
        byNetwork.getOrDefault(networkId, new TreeMap<>()).forEach((hostId, eps) -> {
            HostEntry host = hosts.get(hostId);
            carriers.add(new MeshHost(hostId, host == null ? null : host.underlayAddress(), host != null && host.up(),
                    eps.values().stream().map(e -> new MeshEndpoint(e.endpointId(), e.ipAddress(), e.macAddress()))
                            .toList()));
        });
        return new OverlayNetworkMesh(networkId, revision, time, OverlayNetworkMesh.SCHEMA_VERSION, false,
                net.name(), net.vni(), net.subnet(), net.gateway(), net.mtu(), net.bridgeName(), net.vxlanName(),
                carriers);
    }

    // ---- the mesh

    /**
     * The overlay networks one host must program: every live overlay network it has an endpoint
     * on, with every endpoint of that network on other hosts that are up as a peer, and those
     * hosts' VTEPs as flood targets.
     */
    public List<MeshNetwork> meshOf(String hostId) {
        List<MeshNetwork> out = new ArrayList<>();
        for (String networkId : networksByHost.getOrDefault(hostId, new TreeSet<>())) {
            NetworkEntry net = networks.get(networkId);
            if (net == null) {
                continue; // endpoint arrived before its network, or the network is gone
            }
            List<MeshPeer> peers = new ArrayList<>();
            List<String> floodVteps = new ArrayList<>();
            byNetwork.get(networkId).forEach((remoteHost, eps) -> {
                HostEntry remote = hosts.get(remoteHost);
                if (remoteHost.equals(hostId) || remote == null || !remote.up()) {
                    return;
                }
                String vtep = remote.underlayAddress();
                floodVteps.add(vtep);
                for (EndpointEntry ep : eps.values()) {
                    if (ep.ipAddress() != null && ep.macAddress() != null) {
                        peers.add(new MeshPeer(ep.endpointId(), remoteHost, ep.ipAddress(), ep.macAddress(), vtep));
                    }
                }
            });
            out.add(new MeshNetwork(net.networkId(), net.name(), net.vni(), net.subnet(), net.gateway(), net.mtu(),
                    net.bridgeName(), net.vxlanName(), peers, floodVteps.stream().distinct().sorted().toList()));
        }
        return out;
    }
}
