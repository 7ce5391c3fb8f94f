package io.netplane.agent.docker;

import io.netplane.agent.ipam.NetplaneApi;
import io.netplane.agent.host.HostConfig;
import io.netplane.agent.ipam.NetplaneApi;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.socket.Route;
import io.netplane.events.NetworkCreated;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * netplane as Docker's network and IPAM driver on this host: its routes on the agent's socket, its
 * state, and the engine sync with this host's dockerd (when one is configured).
 */
public final class DockerPlugin implements AutoCloseable {

    private final PluginState state;
    private final PluginRoutes routes;
    private final EngineSync engine;

    /**
     * {@code vethsChanged} wakes the reconciler (which makes a new veth a port of its bridge);
     * {@code networks} is the desired state's networks, null until the feed has caught up.
     */
    public DockerPlugin(DockerSettings settings, NetplaneApi netplane, HostConfig host, NamespaceManager namespaces,
            Runnable vethsChanged, Supplier<Collection<NetworkCreated>> networks) {
        this.state = new PluginState(settings.stateFile());
        this.engine = settings.engine() == null ? null : new EngineSync(settings.engine(), netplane, state, networks);
        NetworkDriver net = new NetworkDriver(netplane, state, new VethPairs(namespaces, host.hostNetns()),
                vethsChanged, e -> {
                    if (engine != null) {
                        engine.wake();
                    }
                }, () -> {
                    if (engine != null) {
                        engine.watchNewNetwork();
                    }
                });
        this.routes = new PluginRoutes(net, new IpamDriver(netplane, state));
    }

    /** Starts the engine sync, once the socket serves (dockerd may call the plugin as soon as it is asked). */
    public void start() {
        if (engine != null) {
            engine.start();
        }
    }

    /**
     * The desired networks changed (one made or removed on another host): the engine sync mirrors
     * them into this dockerd now rather than at its next idle pass, seconds later, so a network
     * made on one host can be used on this one as soon as the command that made it returns there.
     */
    public void networksChanged() {
        if (engine != null) {
            engine.wake();
        }
    }

    /** The route of one of Docker's plugin paths, null for another path. */
    public Route route(String path) {
        return routes.route(path);
    }

    /** Host-side veths of Docker's endpoints: the reconciler must not remove them. */
    public List<String> hostVeths() {
        return state.hostVeths();
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
    }
}
