package io.netplane.e2e;

import io.netplane.localcluster.Directories;
import io.netplane.localcluster.KafkaSecurity;
import io.netplane.localcluster.LocalCluster;
import com.github.dockerjava.api.DockerClient;
import io.netplane.localcluster.up.Deployment;
import io.netplane.localcluster.up.DockerEngine;
import io.netplane.localcluster.up.Shell;
import io.netplane.localcluster.up.SimulatedHosts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * The whole of netplane for the scenario tests, once per test JVM: a real broker with SCRAM and
 * ACLs (every service and agent connects as its own identity, so the scenarios also show that
 * each may do what it needs and no more gets in the way) and a database, three simulated hosts (namespaces e2e-h1, e2e-h2, e2e-h3 on 192.0.2.0/24), the four services and one
 * agent per host, each a child process running its built jar. Where docker.io is installed, each
 * host also runs a real dockerd with netplane as its network plugin ({@link #docker(String)}, and
 * Testcontainers through {@link #container(String, String)}). Removed at JVM exit, also when a
 * test fails.
 */
final class TestBed {

    private static TestBed instance;

    final LocalCluster cluster;
    final SimulatedHosts hosts;
    final Deployment deployment;
    final Api api;
    /** The nat-service's ops API: published ports and rulesets per host. */
    final Api nat;
    /** The overlay-service's ops API: VNIs, member hosts and meshes. */
    final Api overlay;
    /** Why the hosts run no dockerd (docker.io or busybox-static not installed), when they run none. */
    private final Optional<String> noDocker;
    private final Map<String, DockerClient> dockerClients = new ConcurrentHashMap<>();

    private TestBed(LocalCluster cluster, SimulatedHosts hosts, Deployment deployment, Optional<String> noDocker) {
        this.cluster = cluster;
        this.hosts = hosts;
        this.deployment = deployment;
        this.api = new Api(deployment.apiUrl());
        this.nat = new Api("http://127.0.0.1:" + deployment.ports().nat());
        this.overlay = new Api("http://127.0.0.1:" + deployment.ports().overlay());
        this.noDocker = noDocker;
    }

    static synchronized TestBed get() {
        if (instance == null) {
            Path root = Path.of("").toAbsolutePath().getParent();
            Path clusterDir = tempDir();
            LocalCluster cluster = LocalCluster.start(clusterDir, KafkaSecurity.SCRAM_ACLS);
            SimulatedHosts hosts;
            try {
                hosts = SimulatedHosts.create("e2e", 3);
            } catch (RuntimeException e) {
                stop(cluster, clusterDir);
                throw e;
            }
            Deployment deployment;
            // Names that are no container's are forwarded upstream: in tests, to a resolver on loopback that
            // answers NXDOMAIN, so no query ever leaves the machine and "no such name" is told apart from failure.
            OutsideResolver outside = new OutsideResolver();
            // One real dockerd per host where docker.io is installed (data roots in a temporary directory).
            Optional<String> noDocker = DockerEngine.missing();
            Path dockerDir = noDocker.isEmpty() ? tempDir("netplane-e2e-docker-") : null;
            try {
                deployment = Deployment.start(root, cluster, hosts, Deployment.PortPlan.free(),
                        root.resolve("e2e/target/logs"), (name, pid) -> { },
                        java.util.Map.of("netplane.dns.upstreams", outside.address()), dockerDir);
            } catch (RuntimeException e) {
                outside.close();
                hosts.close();
                stop(cluster, clusterDir);
                if (dockerDir != null) {
                    Directories.deleteRecursively(dockerDir);
                }
                throw e;
            }
            instance = new TestBed(cluster, hosts, deployment, noDocker);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                deployment.close();
                hosts.close();
                outside.close();
                stop(cluster, clusterDir);
                if (dockerDir != null) {
                    Directories.deleteRecursively(dockerDir);
                }
            }, "e2e-teardown"));
        }
        return instance;
    }

    private static Path tempDir() {
        return tempDir("netplane-e2e-cluster-");
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stop(LocalCluster cluster, Path dir) {
        cluster.close();
        Directories.deleteRecursively(dir);
    }

    String underlay(String hostId) {
        return hosts.host(hostId).underlayAddress();
    }

    String hostNetns(String hostId) {
        return hosts.host(hostId).netns();
    }

    /**
     * The real dockerd of simulated host {@code hostId} (h1, h2, h3; namespace e2e-hN), with netplane
     * as its network plugin and the local image {@code busybox}: {@code docker(args...)} runs the
     * docker CLI against it, {@code dockerHost()} is its DOCKER_HOST, {@code restart()} restarts it.
     * Fails, saying what to install, where docker.io or busybox-static is missing.
     */
    DockerEngine docker(String hostId) {
        noDocker.ifPresent(why -> {
            throw new IllegalStateException("the simulated hosts run no dockerd: " + why
                    + " (apt-get install docker.io busybox-static; .ci/run does it)");
        });
        DockerEngine engine = deployment.dockerEngines().get(hostId);
        if (engine == null) {
            throw new IllegalArgumentException("no simulated Docker host " + hostId + "; the hosts are "
                    + deployment.dockerEngines().keySet());
        }
        return engine;
    }

    /** A docker-java client (the one Testcontainers ships) for host {@code hostId}'s dockerd; shared, do not close. */
    DockerClient dockerClient(String hostId) {
        DockerEngine engine = docker(hostId);
        return dockerClients.computeIfAbsent(hostId, h -> DockerClientProviderStrategy.getClientForConfig(
                TransportConfig.builder().dockerHost(java.net.URI.create(engine.dockerHost())).build()));
    }

    /**
     * A Testcontainers container of a local image (e.g. {@code busybox}) to run on host {@code hostId}:
     * configure it (withCommand, withNetworkMode, withCreateContainerCmdModifier, ...), then start()
     * and close() it, as any GenericContainer.
     */
    HostContainer container(String hostId, String image) {
        return new HostContainer(hostId, dockerClient(hostId), image);
    }

    /** Runs a command inside a container's sandbox (named h1-web, ...). */
    static Shell.Result inSandbox(String sandbox, String... command) {
        return Shell.inNetns(sandbox, 30, command);
    }
}
