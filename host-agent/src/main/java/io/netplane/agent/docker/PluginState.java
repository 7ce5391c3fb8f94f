package io.netplane.agent.docker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netplane.agent.reconcile.Ownership;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the plugin must remember between calls, agent restarts and dockerd restarts (Docker never
 * replays CreateNetwork or CreateEndpoint): pools handed out, Docker's network ids and the netplane
 * networks they stand for, addresses held in ipam-service and Docker's endpoints. Every change is
 * written to the state file at once, through a temporary file and an atomic rename, so a crash
 * leaves the old or the new state, never half of one. Thread-safe.
 */
final class PluginState {

    /** A pool RequestPool answered: the netplane network, and whether the plugin made that network. */
    record Pool(String networkId, String subnet, String gateway, boolean createdHere, String dockerNetworkId) {
        Pool bound(String dockerId) {
            return new Pool(networkId, subnet, gateway, createdHere, dockerId);
        }
    }

    /** A Docker network of this host and the netplane network behind it. {@code gateway} is a bare address. */
    record Network(String dockerNetworkId, String networkId, String driver, int mtu, String gateway,
            boolean createdHere, boolean internal) {
    }

    /**
     * An address netplane holds for Docker: the endpoint, and the netplane container holding it (the
     * placeholder until the engine sync hands it to Docker's container, then Docker's container id).
     */
    record Held(String networkId, String address, String endpointId, String owner, String macAddress) {
        Held ownedBy(String container) {
            return new Held(networkId, address, endpointId, container, macAddress);
        }
    }

    /** A Docker endpoint: its netplane endpoint and the veth pair made for it. */
    record Endpoint(String dockerEndpointId, String dockerNetworkId, String networkId, String address,
            String endpointId, String hostVeth, String containerVeth, String dockerContainerId) {
        Endpoint adoptedBy(String containerId) {
            return new Endpoint(dockerEndpointId, dockerNetworkId, networkId, address, endpointId, hostVeth,
                    containerVeth, containerId);
        }
    }

    /** The file's content. */
    record Snapshot(Map<String, Pool> pools, Map<String, Network> networks, Map<String, Held> held,
            Map<String, Endpoint> endpoints) {
        Snapshot {
            pools = pools == null ? new LinkedHashMap<>() : new LinkedHashMap<>(pools);
            networks = networks == null ? new LinkedHashMap<>() : new LinkedHashMap<>(networks);
            held = held == null ? new LinkedHashMap<>() : new LinkedHashMap<>(held);
            endpoints = endpoints == null ? new LinkedHashMap<>() : new LinkedHashMap<>(endpoints);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;
    private final Snapshot s;

    PluginState(Path file) {
        this.file = file;
        this.s = load(file);
    }

    private static Snapshot load(Path file) {
        if (!Files.exists(file)) {
            return new Snapshot(null, null, null, null);
        }
        try {
            return JSON.readValue(file.toFile(), Snapshot.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Docker plugin's state " + file
                    + " (fix or remove it; removing it forgets which Docker networks are netplane's)", e);
        }
    }

    private void save() {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            try {
                JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), s);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Docker plugin's state " + file, e);
        }
    }

    static String heldKey(String networkId, String address) {
        return networkId + " " + address;
    }

    synchronized void putPool(Pool p) {
        s.pools().put(p.networkId(), p);
        save();
    }

    synchronized Optional<Pool> pool(String networkId) {
        return Optional.ofNullable(s.pools().get(networkId));
    }

    synchronized Optional<Pool> removePool(String networkId) {
        Pool p = s.pools().remove(networkId);
        if (p != null) {
            save();
        }
        return Optional.ofNullable(p);
    }

    /** The pool of that subnet no Docker network has taken yet (CreateNetwork names only the subnet). */
    synchronized Optional<Pool> unboundPool(String subnet) {
        return s.pools().values().stream()
                .filter(p -> p.dockerNetworkId() == null && p.subnet().equals(subnet)).findFirst();
    }

    /** CreateNetwork: the pool now belongs to that Docker network. */
    synchronized void bind(Pool pool, Network n) {
        s.pools().put(pool.networkId(), pool.bound(n.dockerNetworkId()));
        s.networks().put(n.dockerNetworkId(), n);
        save();
    }

    synchronized Optional<Network> network(String dockerNetworkId) {
        return Optional.ofNullable(s.networks().get(dockerNetworkId));
    }

    synchronized Optional<Network> networkOf(String networkId) {
        return s.networks().values().stream().filter(n -> n.networkId().equals(networkId)).findFirst();
    }

    synchronized List<Network> networks() {
        return List.copyOf(s.networks().values());
    }

    synchronized Optional<Network> removeNetwork(String dockerNetworkId) {
        Network n = s.networks().remove(dockerNetworkId);
        if (n != null) {
            save();
        }
        return Optional.ofNullable(n);
    }

    synchronized void hold(Held h) {
        s.held().put(heldKey(h.networkId(), h.address()), h);
        save();
    }

    synchronized Optional<Held> held(String networkId, String address) {
        return Optional.ofNullable(s.held().get(heldKey(networkId, address)));
    }

    synchronized Optional<Held> release(String networkId, String address) {
        Held h = s.held().remove(heldKey(networkId, address));
        if (h != null) {
            save();
        }
        return Optional.ofNullable(h);
    }

    synchronized void putEndpoint(Endpoint e) {
        s.endpoints().put(e.dockerEndpointId(), e);
        save();
    }

    synchronized Optional<Endpoint> endpoint(String dockerEndpointId) {
        return Optional.ofNullable(s.endpoints().get(dockerEndpointId));
    }

    synchronized List<Endpoint> endpoints() {
        return List.copyOf(s.endpoints().values());
    }

    synchronized Optional<Endpoint> removeEndpoint(String dockerEndpointId) {
        Endpoint e = s.endpoints().remove(dockerEndpointId);
        if (e != null) {
            save();
        }
        return Optional.ofNullable(e);
    }

    /** The engine sync found the Docker container of an endpoint: the address is now held in its name. */
    synchronized void adopted(Endpoint e, String containerId) {
        s.endpoints().computeIfPresent(e.dockerEndpointId(), (k, old) -> old.adoptedBy(containerId));
        s.held().computeIfPresent(heldKey(e.networkId(), e.address()), (k, old) -> old.ownedBy(containerId));
        save();
    }

    /**
     * Host-side veth names of the endpoints Docker holds, and of the addresses it holds for
     * endpoints not made yet (the reconciler must not remove them): named from the moment an
     * address is given, so a veth is never on the host before its name is here.
     */
    synchronized List<String> hostVeths() {
        Set<String> out = new LinkedHashSet<>();
        s.endpoints().values().forEach(e -> out.add(e.hostVeth()));
        s.held().values().forEach(h -> out.add(Ownership.vethName(h.endpointId())));
        return List.copyOf(out);
    }
}
