package io.netplane.agent.docker;

import io.netplane.agent.host.HostConfig;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.events.NetworkCreated;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * netplane as Docker's network and IPAM driver on this host: the plugin socket, its state, and
 * the engine sync with this host's dockerd (when one is configured).
 */
public final class DockerPlugin implements AutoCloseable {

    private final PluginState state;
    private final PluginServer server;
    private final EngineSync engine;

    /**
     * {@code vethsChanged} wakes the reconciler (which makes a new veth a port of its bridge);
     * {@code networks} is the desired state's networks, null until the feed has caught up.
     */
    public DockerPlugin(DockerSettings settings, HostConfig host, NamespaceManager namespaces, Runnable vethsChanged,
            Supplier<Collection<NetworkCreated>> networks) {
        this.state = new PluginState(settings.stateFile());
        NetplaneApi netplane = new NetplaneApi(new IpamServiceClient(settings.ipamUrl()), host.hostId());
        this.engine = settings.engine() == null ? null : new EngineSync(settings.engine(), netplane, state, networks);
        NetworkDriver net = new NetworkDriver(netplane, state, new VethPairs(namespaces, host.hostNetns()),
                vethsChanged, e -> {
                    if (engine != null) {
                        engine.wake();
                    }
                });
        this.server = new PluginServer(settings.pluginSocket(), new PluginRoutes(net, new IpamDriver(netplane, state)));
        if (engine != null) {
            engine.start();
        }
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
        server.close();
    }
}
