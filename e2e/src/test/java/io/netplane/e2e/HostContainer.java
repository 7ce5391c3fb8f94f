package io.netplane.e2e;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Testcontainers container on one simulated host's dockerd: created, started, inspected, logged,
 * exec'd into and removed through that daemon's client. Local images only (the hosts have
 * {@code busybox}): it never pulls. Get one with {@link TestBed#container(String, String)}.
 *
 * <p>Its ports are published inside the host's network namespace, not on this machine: reach
 * them from the host ({@code ip netns exec e2e-hN ...}) or from another container, not with
 * {@code getHost()}/{@code getMappedPort()}. {@code Network.newNetwork()} would make a network on
 * h1 only; on other hosts create networks with {@code TestBed.get().docker(host).docker("network",
 * "create", ...)} and join them with {@code withNetworkMode(name)}.
 */
public final class HostContainer extends GenericContainer<HostContainer> {

    private final String hostId;

    HostContainer(String hostId, DockerClient client, String image) {
        super(DockerImageName.parse(image));
        this.hostId = hostId;
        this.dockerClient = client;
        withImagePullPolicy(name -> false);
    }

    /** The simulated host (h1, h2, ...) whose dockerd runs this container. */
    public String hostId() {
        return hostId;
    }

    /** Removes the container through its own host's daemon (Testcontainers' reaper speaks to h1 only). */
    @Override
    public void stop() {
        String id = getContainerId();
        if (id != null) {
            try {
                dockerClient.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException e) {
                // removed already
            }
        }
        super.stop(); // Testcontainers' own bookkeeping; finds nothing left to remove
    }
}
