package io.netplane.agent.socket;

import io.netplane.agent.cni.CniPlugin;
import io.netplane.agent.cni.DeferredDeletes;
import io.netplane.agent.cni.KernelView;
import io.netplane.agent.docker.DockerPlugin;
import io.netplane.agent.docker.DockerSettings;
import io.netplane.agent.host.HostConfig;
import io.netplane.agent.ipam.IpamServiceClient;
import io.netplane.agent.ipam.NetplaneApi;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.reconcile.LocalReports;
import io.netplane.events.NetworkCreated;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the agent serves on its local socket: Docker's network and IPAM driver (for this host's
 * dockerd) and CNI (for netplane-cni, which podman, containerd and CRI-O run), both backed by
 * ipam-service and this agent's reconciler.
 */
public final class LocalPlugins implements AutoCloseable {

    private static final String CNI_PATHS = "/cni/";

    private final DockerPlugin docker;
    private final DeferredDeletes deferredDeletes;
    private final LocalSocketServer server;

    /**
     * {@code vethsChanged} wakes the reconciler; {@code networks} is the desired state's networks,
     * null until the feed has caught up; {@code reports} the reconciler's reports on endpoints.
     */
    public LocalPlugins(DockerSettings settings, HostConfig host, NamespaceManager namespaces, Runnable vethsChanged,
            Supplier<Collection<NetworkCreated>> networks, LocalReports reports) {
        NetplaneApi netplane = new NetplaneApi(new IpamServiceClient(settings.ipamUrl(), settings.ipamTls()), host.hostId());
        this.docker = new DockerPlugin(settings, netplane, host, namespaces, vethsChanged, networks);
        CniPlugin cni = new CniPlugin(netplane, new KernelView(namespaces), reports, host.dnsService() != null);
        Route cniRoute = cni.route();
        this.server = new LocalSocketServer(settings.pluginSocket(),
                path -> path.startsWith(CNI_PATHS) ? cniRoute : docker.route(path));
        this.deferredDeletes = new DeferredDeletes(DeferredDeletes.besides(settings.pluginSocket()), cni).start();
        docker.start();
    }

    /** See {@link DockerPlugin#networksChanged}. */
    public void networksChanged() {
        docker.networksChanged();
    }

    /** Host-side veths of Docker's endpoints: the reconciler must not remove them. */
    public List<String> hostVeths() {
        return docker.hostVeths();
    }

    @Override
    public void close() {
        deferredDeletes.close();
        docker.close();
        server.close();
    }
}
