package io.netplane.agent.docker;

import io.netplane.agent.ipam.IpamServiceClient;
import io.netplane.agent.ipam.NetplaneApi;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.netplane.events.NetworkCreated;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps this host's dockerd and netplane in step, through the engine's API (docker-java):
 * <ul>
 * <li>an endpoint Docker joined is handed to Docker's container (id, name, hostname, aliases), so
 * netplane's DNS answers Docker's names;</li>
 * <li>a network netplane made for Docker under a placeholder name ({@code docker-<12 hex>}) gets
 * the name Docker gave it, which every other host then sees;</li>
 * <li>an endpoint whose container is gone without Docker telling the plugin is released;</li>
 * <li>every netplane network this dockerd lacks is created on it with this driver and IPAM (the
 * pool is the netplane network, {@code --ipam-opt netplane.network=<id>}), so a network made once
 * is usable on every host; one netplane removed is removed here too, unless containers use it.</li>
 * </ul>
 * One thread; a pass runs when woken (after a Join) and every second while something waits.
 */
final class EngineSync implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EngineSync.class);
    private static final Duration BUSY = Duration.ofSeconds(1);
    private static final Duration IDLE = Duration.ofSeconds(3);
    /** After CreateNetwork, until Docker lists the new network under its name (it does once the call returns). */
    private static final Duration NEW_NETWORK = Duration.ofMillis(100);
    private static final long NEW_NETWORK_WATCH_NANOS = Duration.ofSeconds(5).toNanos();

    private final DockerClient docker;
    private final NetplaneApi netplane;
    private final PluginState state;
    private final Supplier<Collection<NetworkCreated>> desired;
    private final NetworkMirror networks;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    /** Problems already logged, so a pass that keeps failing the same way logs it once. */
    private final Set<String> told = new HashSet<>();
    private volatile boolean running = true;
    /** System.nanoTime() until which passes come every {@link #NEW_NETWORK}: a network was just made here. */
    private volatile long watchUntil = System.nanoTime();

    EngineSync(String engine, NetplaneApi netplane, PluginState state, Supplier<Collection<NetworkCreated>> desired) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(engine).build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(2)).responseTimeout(Duration.ofSeconds(30)).build();
        this.docker = DockerClientImpl.getInstance(config, http);
        this.netplane = netplane;
        this.state = state;
        this.desired = desired;
        this.networks = new NetworkMirror(docker, netplane, state, this::tell);
        this.thread = new Thread(this::run, "docker-engine-sync");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void wake() {
        wake.release();
    }

    /**
     * A network was just made through this plugin: netplane knows it under a placeholder name until
     * a pass sees Docker's name for it, and other hosts can use it only then, so passes come quickly
     * for a few seconds instead of at the idle pace.
     */
    void watchNewNetwork() {
        watchUntil = System.nanoTime() + NEW_NETWORK_WATCH_NANOS;
        wake.release();
    }

    private void run() {
        while (running) {
            boolean busy = true;
            try {
                busy = pass();
            } catch (RuntimeException e) {
                tell("pass", "engine sync: " + e.getMessage());
            }
            try {
                Duration pause = System.nanoTime() - watchUntil < 0 ? NEW_NETWORK : busy ? BUSY : IDLE;
                wake.tryAcquire(pause.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One pass; true while something waits (an endpoint Docker has not yet shown with its container). */
    boolean pass() {
        List<Container> containers = docker.listContainersCmd().withShowAll(true).exec();
        releaseEndpointsOfGoneContainers(containers);
        boolean waiting = adoptJoinedEndpoints(containers);
        networks.sync(desired.get());
        return waiting;
    }

    /**
     * An endpoint whose Docker container no longer exists, though Docker never said so (it could not
     * reach the plugin, e.g. while the agent was down): its address is released in ipam-service.
     * (Docker itself releases through ReleaseAddress on disconnect, stop and rm.)
     */
    private void releaseEndpointsOfGoneContainers(List<Container> containers) {
        Set<String> ids = new HashSet<>();
        containers.forEach(c -> ids.add(c.getId()));
        for (PluginState.Endpoint e : state.endpoints()) {
            if (e.dockerContainerId() == null || ids.contains(e.dockerContainerId())) {
                continue;
            }
            try {
                netplane.releaseEndpoint(e.dockerContainerId(), e.networkId());
                state.release(e.networkId(), e.address());
                state.removeEndpoint(e.dockerEndpointId());
                LOG.infof("endpoint %s released: Docker container %s is gone", e.endpointId(),
                        e.dockerContainerId().substring(0, 12));
            } catch (RuntimeException ex) {
                tell("release " + e.endpointId(), "cannot release endpoint " + e.endpointId() + " of gone Docker"
                        + " container " + e.dockerContainerId().substring(0, 12) + ": " + ex.getMessage());
            }
        }
    }

    private boolean adoptJoinedEndpoints(List<Container> containers) {
        Map<String, PluginState.Endpoint> pending = new HashMap<>();
        state.endpoints().stream().filter(e -> e.dockerContainerId() == null)
                .forEach(e -> pending.put(e.dockerEndpointId(), e));
        if (pending.isEmpty()) {
            return false;
        }
        for (Container c : containers) {
            if (c.getNetworkSettings() == null || c.getNetworkSettings().getNetworks() == null) {
                continue;
            }
            for (ContainerNetwork cn : c.getNetworkSettings().getNetworks().values()) {
                PluginState.Endpoint e = cn.getEndpointId() == null ? null : pending.remove(cn.getEndpointId());
                if (e != null) {
                    adopt(c.getId(), e);
                }
            }
        }
        return !pending.isEmpty();
    }

    private void adopt(String containerId, PluginState.Endpoint e) {
        InspectContainerResponse c = docker.inspectContainerCmd(containerId).exec();
        String name = c.getName() == null ? containerId.substring(0, 12) : c.getName().replaceFirst("^/", "");
        String hostname = c.getConfig() == null ? null : c.getConfig().getHostName();
        List<String> aliases = List.of();
        if (c.getNetworkSettings() != null && c.getNetworkSettings().getNetworks() != null) {
            for (ContainerNetwork cn : c.getNetworkSettings().getNetworks().values()) {
                if (e.dockerEndpointId().equals(cn.getEndpointId()) && cn.getAliases() != null) {
                    // Docker adds the hostname (the short id by default) as an alias itself; netplane's names
                    // of an endpoint have both already: only the user's --network-alias go over
                    aliases = cn.getAliases().stream().filter(a -> !a.equals(hostname) && !containerId.startsWith(a))
                            .distinct().toList();
                }
            }
        }
        try {
            netplane.adopt(e.endpointId(), containerId, name, hostname, aliases);
            state.adopted(e, containerId);
            LOG.infof("endpoint %s is Docker container %s's (%s)", e.endpointId(), name, containerId.substring(0, 12));
        } catch (IpamServiceClient.ServiceError ex) {
            tell("adopt " + e.endpointId(), "cannot hand endpoint " + e.endpointId() + " to Docker container " + name
                    + ": " + ex.getMessage());
        }
    }

    void tell(String key, String message) {
        if (told.add(key + " " + message)) {
            LOG.warn(message);
        }
    }

    @Override
    public void close() {
        running = false;
        wake.release();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            docker.close();
        } catch (IOException e) {
            LOG.debugf("closing the engine client: %s", e);
        }
    }
}
