package io.netplane.agent.docker;

import io.netplane.agent.ipam.IpamServiceClient;
import io.netplane.agent.ipam.NetplaneApi;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network;
import io.netplane.events.Names;
import io.netplane.events.NetworkCreated;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Netplane's networks on this host's dockerd, so that a network made once is usable on every host:
 * <ul>
 * <li>a network netplane made for Docker under a placeholder name ({@code docker-<12 hex>}) gets
 * the name Docker gave it, which every other host then sees;</li>
 * <li>every netplane network this dockerd lacks is created on it with this driver and IPAM (the
 * pool is the netplane network, {@code --ipam-opt netplane.network=<id>});</li>
 * <li>one netplane removed is removed here too, unless containers use it.</li>
 * </ul>
 */
final class NetworkMirror {

    private static final Logger LOG = Logger.getLogger(NetworkMirror.class);
    static final String DRIVER = "netplane";
    static final Pattern PLACEHOLDER = Pattern.compile("docker-[0-9a-f]{12}");

    private final DockerClient docker;
    private final NetplaneApi netplane;
    private final PluginState state;
    /** Logs a problem once per key and text. */
    private final BiConsumer<String, String> tell;

    NetworkMirror(DockerClient docker, NetplaneApi netplane, PluginState state, BiConsumer<String, String> tell) {
        this.docker = docker;
        this.netplane = netplane;
        this.state = state;
        this.tell = tell;
    }

    /** {@code wanted}: the desired state's networks, null until the agent's feed has caught up. */
    void sync(Collection<NetworkCreated> wanted) {
        List<Network> dockerNetworks = docker.listNetworksCmd().exec();
        nameNetworksAsDocker(dockerNetworks);
        if (wanted != null) {
            createMissingNetworks(dockerNetworks, wanted);
            removeNetworksNetplaneRemoved(wanted);
        }
    }

    /** A network made for Docker carries a placeholder name until Docker's name is known: now it is. */
    private void nameNetworksAsDocker(List<Network> dockerNetworks) {
        for (Network dn : dockerNetworks) {
            if (!DRIVER.equals(dn.getDriver())) {
                continue;
            }
            state.network(dn.getId()).filter(PluginState.Network::createdHere).ifPresent(m -> {
                try {
                    netplane.network(m.networkId()).filter(n -> PLACEHOLDER.matcher(n.name()).matches())
                            .filter(n -> !n.name().equals(dn.getName())).ifPresent(n -> {
                                netplane.patchNetwork(n.id(), Map.of("name", dn.getName()));
                                LOG.infof("netplane network %s is now named %s, as in Docker", n.id(), dn.getName());
                            });
                } catch (IpamServiceClient.ServiceError ex) {
                    tell("name " + dn.getId(), "cannot name netplane network " + m.networkId() + " " + dn.getName()
                            + " as Docker did: " + ex.getMessage());
                }
            });
        }
    }

    private void createMissingNetworks(List<Network> dockerNetworks, Collection<NetworkCreated> wanted) {
        Set<String> dockerNames = new HashSet<>();
        dockerNetworks.forEach(n -> dockerNames.add(n.getName()));
        for (NetworkCreated n : wanted) {
            if (n.predefined() || Names.GATEWAY_BRIDGE_NETWORK.equals(n.name()) || PLACEHOLDER.matcher(n.name()).matches()
                    || state.networkOf(n.networkId()).isPresent()) {
                continue; // netplane's own plumbing, not yet named by Docker, or here already
            }
            if (dockerNames.contains(n.name())) {
                tell("exists " + n.networkId(), "Docker network " + n.name() + " exists on this host and is not netplane"
                        + " network " + n.networkId() + ": left as it is");
                continue;
            }
            try {
                Network.Ipam ipam = new IpamWithOptions(Map.of(IpamDriver.NETWORK_OPTION, n.networkId()));
                if (!n.ipam().isEmpty()) {
                    // the subnet given, so dockerd does not check it against this host's routes: netplane's own
                    // bridge of the network may already route it here, and dockerd would ask for the pool forever
                    ipam.withConfig(new Network.Ipam.Config().withSubnet(n.ipam().get(0).subnet()));
                }
                docker.createNetworkCmd().withName(n.name()).withDriver(DRIVER).withIpam(ipam)
                        .withOptions(Map.of(NetworkDriver.DRIVER_OPTION, n.driver())).withInternal(n.internal())
                        .exec();
                LOG.infof("netplane network %s (%s) created on this host's dockerd", n.name(), n.networkId());
            } catch (RuntimeException e) {
                tell("create " + n.networkId(), "cannot create netplane network " + n.name() + " on this host's dockerd: "
                        + e.getMessage());
            }
        }
    }

    private void removeNetworksNetplaneRemoved(Collection<NetworkCreated> wanted) {
        Set<String> ids = new HashSet<>();
        wanted.forEach(n -> ids.add(n.networkId()));
        for (PluginState.Network m : state.networks()) {
            // the desired state may lag behind a network just made here: ask ipam-service before removing
            if (ids.contains(m.networkId()) || netplane.network(m.networkId()).isPresent()) {
                continue;
            }
            try {
                docker.removeNetworkCmd(m.dockerNetworkId()).exec();
                LOG.infof("Docker network %s removed: netplane removed network %s", m.dockerNetworkId().substring(0, 12),
                        m.networkId());
            } catch (RuntimeException e) {
                tell("remove " + m.dockerNetworkId(), "netplane removed network " + m.networkId() + " but Docker network "
                        + m.dockerNetworkId().substring(0, 12) + " stays: " + e.getMessage());
            }
        }
    }

    /** docker-java's Ipam has no setter for IPAM options ({@code --ipam-opt}): this one carries them. */
    static final class IpamWithOptions extends Network.Ipam {
        private static final long serialVersionUID = 1L;
        private final Map<String, String> ipamOptions;

        IpamWithOptions(Map<String, String> options) {
            this.ipamOptions = Map.copyOf(options);
            withDriver(DRIVER);
        }

        @Override
        @JsonProperty("Options")
        public Map<String, String> getOptions() {
            return ipamOptions;
        }
    }

    private void tell(String key, String message) {
        tell.accept(key, message);
    }
}
