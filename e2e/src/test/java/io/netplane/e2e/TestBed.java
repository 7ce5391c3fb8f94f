package io.netplane.e2e;

import io.netplane.localcluster.Directories;
import io.netplane.localcluster.KafkaSecurity;
import io.netplane.localcluster.LocalCluster;
import io.netplane.localcluster.up.Deployment;
import io.netplane.localcluster.up.Shell;
import io.netplane.localcluster.up.SimulatedHosts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole of netplane for the scenario tests, once per test JVM: a real broker with SCRAM and
 * ACLs (every service and agent connects as its own identity, so the scenarios also show that
 * each may do what it needs and no more gets in the way) and a database, three simulated hosts (namespaces e2e-h1, e2e-h2, e2e-h3 on 192.0.2.0/24), the four services and one
 * agent per host, each a child process running its built jar. Removed at JVM exit, also when a
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

    private TestBed(LocalCluster cluster, SimulatedHosts hosts, Deployment deployment) {
        this.cluster = cluster;
        this.hosts = hosts;
        this.deployment = deployment;
        this.api = new Api(deployment.apiUrl());
        this.nat = new Api("http://127.0.0.1:" + deployment.ports().nat());
        this.overlay = new Api("http://127.0.0.1:" + deployment.ports().overlay());
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
            try {
                deployment = Deployment.start(root, cluster, hosts, Deployment.PortPlan.free(),
                        root.resolve("e2e/target/logs"), (name, pid) -> { },
                        java.util.Map.of("netplane.dns.upstreams", outside.address()));
            } catch (RuntimeException e) {
                outside.close();
                hosts.close();
                stop(cluster, clusterDir);
                throw e;
            }
            instance = new TestBed(cluster, hosts, deployment);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                deployment.close();
                hosts.close();
                outside.close();
                stop(cluster, clusterDir);
            }, "e2e-teardown"));
        }
        return instance;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("netplane-e2e-cluster-");
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

    /** Runs a command inside a container's sandbox (named h1-web, ...). */
    static Shell.Result inSandbox(String sandbox, String... command) {
        return Shell.inNetns(sandbox, 30, command);
    }
}
