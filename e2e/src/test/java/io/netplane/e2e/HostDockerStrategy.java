package io.netplane.e2e;

import java.net.URI;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * Testcontainers' own Docker client (the one it uses for what a container does not do with its
 * own client: the JVM-exit clean-up, {@code Network.newNetwork()}, image look-ups) is simulated
 * host {@value #HOST}'s dockerd. Testcontainers finds this class through
 * META-INF/services/org.testcontainers.dockerclient.DockerClientProviderStrategy and tries it before
 * its own (highest priority); not through TESTCONTAINERS_DOCKER_CLIENT_STRATEGY, which it only
 * accepts for a strategy it may write to ~/.testcontainers.properties. The e2e pom turns Ryuk off
 * (no image is ever pulled). Containers on any host: {@link TestBed#container}.
 */
public final class HostDockerStrategy extends DockerClientProviderStrategy {

    static final String HOST = "h1";

    @Override
    public TransportConfig getTransportConfig() {
        return TransportConfig.builder().dockerHost(URI.create(TestBed.get().docker(HOST).dockerHost())).build();
    }

    @Override
    public String getDescription() {
        return "the dockerd of netplane's simulated host " + HOST;
    }

    /**
     * The simulated host's underlay address, where its published ports are (from the other hosts'
     * namespaces; this machine's own namespace has no route there). Without this, Testcontainers
     * running in a container (/.dockerenv, as on this CI machine) would run alpine to find a gateway.
     */
    @Override
    public synchronized String getDockerHostIpAddress() {
        return TestBed.get().underlay(HOST);
    }

    @Override
    protected int getPriority() {
        return 1000; // before Testcontainers' own (the unix socket strategy is 100)
    }

    @Override
    protected boolean isPersistable() {
        return false; // never written to ~/.testcontainers.properties
    }
}
