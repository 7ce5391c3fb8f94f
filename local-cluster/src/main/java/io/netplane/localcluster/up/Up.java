package io.netplane.localcluster.up;

import io.netplane.localcluster.Directories;
import io.netplane.localcluster.KafkaSecurity;
import io.netplane.localcluster.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code ./netplane up}: a fresh broker and database under .netplane/, two simulated hosts, the
 * four services, the console and one agent per host, each a child process; prints where everything is and
 * waits. Ctrl-C (or {@code ./netplane down} from elsewhere) stops it all and removes every
 * namespace, link and rule it made.
 */
public final class Up {

    static final String HOSTS_PREFIX = "np";

    private Up() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Map<String, String> serviceConfig;
        try {
            serviceConfig = UpOptions.parse(Arrays.asList(args).subList(Math.min(1, args.length), args.length))
                    .serviceConfig();
        } catch (IllegalArgumentException e) {
            System.err.println("netplane up: " + e.getMessage());
            System.exit(2);
            return;
        }
        State state = new State(root.resolve(".netplane"));
        Down.stopLeftovers(state);
        state.reset();
        state.writePid("up", ProcessHandle.current().pid());

        System.out.println("netplane: starting Kafka and PostgreSQL ...");
        LocalCluster cluster;
        try {
            cluster = LocalCluster.start(state.clusterDir(), KafkaSecurity.SCRAM_ACLS);
        } catch (IllegalArgumentException e) {
            System.err.println("netplane up: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.printf("  Kafka       %s   SASL/SCRAM-SHA-512, ACLs: each service and agent its own user"
                + "   (started in %d ms)%n", cluster.kafkaBootstrap(), cluster.startupTimes().kafka().toMillis());
        System.out.printf("  PostgreSQL  %s   user %s   (started in %d ms)%n", cluster.jdbcUrl(), cluster.jdbcUser(),
                cluster.startupTimes().postgres().toMillis());
        System.out.println("netplane: creating simulated hosts h1, h2 (namespaces np-h1, np-h2 on 192.0.2.0/24) ...");
        SimulatedHosts hosts = SimulatedHosts.create(HOSTS_PREFIX, 2);
        Holder holder = new Holder(cluster, hosts, state);
        Runtime.getRuntime().addShutdownHook(new Thread(holder::stop, "netplane-down"));
        java.util.Optional<String> noDocker = DockerEngine.missing();
        System.out.println(noDocker.isEmpty() ? "netplane: starting services, agents and one dockerd per host ..."
                : "netplane: starting services and agents ...");
        holder.deployment = Deployment.start(root, cluster, hosts, Deployment.PortPlan.fixed(), state.logDir(),
                state::writePid, serviceConfig, noDocker.isEmpty() ? state.dockerDir() : null);
        state.writeEnvironments(holder.deployment.dockerEngines());
        printGuide(holder.deployment, hosts, serviceConfig.getOrDefault(UpOptions.UPSTREAMS, ""));
        noDocker.ifPresent(why -> System.out.println("netplane: Docker hosts skipped: " + why
                + "; netplane runs its own sandboxes only."));
        Thread.currentThread().join();
    }

    private static void printGuide(Deployment d, SimulatedHosts hosts, String upstreams) {
        System.out.println();
        System.out.println("netplane is up. Logs in .netplane/logs. Ctrl-C stops everything and removes what it made.");
        System.out.printf("  API         %s/v1/networks%n", d.apiUrl());
        System.out.printf("  Swagger UI  %s/q/swagger-ui%n", d.apiUrl());
        System.out.printf("  Console     %s/   (topology, history, time travel; loopback only)%n", d.consoleUrl());
        System.out.printf("  docker CLI  export DOCKER_HOST=%s   (plain HTTP, loopback only)%n", d.dockerHost());
        System.out.println("  docker CLI over TLS with the operator's client certificate:");
        d.dockerTlsEnvironment().forEach((k, v) -> System.out.printf("    export %s=%s%n", k, v));
        System.out.printf("  DNS         127.0.0.1:%d (udp and tcp; containers ask their stub at 127.0.0.11)%n",
                d.dnsPort());
        System.out.printf("  upstreams   %s (for names that are no container's; --dns-upstream to choose)%n",
                upstreams.isEmpty() ? "the nameservers of /etc/resolv.conf" : upstreams);
        for (SimulatedHosts.Host h : hosts.hosts()) {
            System.out.printf("  host %-3s     namespace %s, underlay %s%n", h.id(), h.netns(), h.underlayAddress());
            DockerEngine engine = d.dockerEngines().get(h.id());
            if (engine != null) {
                System.out.printf("    dockerd   DOCKER_HOST=%s   (or: eval $(./netplane env %s))%n", engine.dockerHost(),
                        h.id());
            }
        }
        System.out.println();
        System.out.println("Try it: README.md, section 'A walk through', starts with");
        if (d.dockerEngines().isEmpty()) {
            System.out.println("  export DOCKER_HOST=" + d.dockerHost());
            System.out.println("  docker network create -d bridge my-bridge");
        } else {
            System.out.println("  eval \"$(./netplane env h1)\"");
            System.out.println("  docker network create -d netplane --ipam-driver netplane multi");
            System.out.println("  docker run -d --name beta --network multi busybox sleep 1d");
        }
    }

    /** What the shutdown hook stops, in order: processes, then namespaces, then the servers. */
    private static final class Holder {
        final LocalCluster cluster;
        final SimulatedHosts hosts;
        final State state;
        volatile Deployment deployment;

        Holder(LocalCluster cluster, SimulatedHosts hosts, State state) {
            this.cluster = cluster;
            this.hosts = hosts;
            this.state = state;
        }

        void stop() {
            System.out.println("netplane: stopping ...");
            for (SimulatedHosts.Host host : hosts.hosts()) {
                PodmanEngine.removeLeftovers(host.netns(), state.podmanDir().resolve(host.id()));
            }
            if (deployment != null) {
                deployment.close();
            }
            hosts.close();
            cluster.close();
            state.clearPids();
            state.clearEnvironments();
            System.out.println("netplane: stopped; nothing left running.");
        }
    }

    /** The files under .netplane/ that a later run (or `netplane down`) reads. */
    static final class State {
        private final Path dir;

        State(Path dir) {
            this.dir = dir;
        }

        Path clusterDir() {
            return dir.resolve("cluster");
        }

        Path logDir() {
            return dir.resolve("logs");
        }

        Path pidDir() {
            return dir.resolve("pids");
        }

        /** Data roots of the hosts' dockerd (removed when each daemon stops). */
        Path dockerDir() {
            return dir.resolve("docker");
        }

        /** The podman of each host that `netplane podman HOST` ran (removed by down). */
        Path podmanDir() {
            return dir.resolve("podman");
        }

        /** One file per host with the lines `netplane env HOST` prints. */
        Path envDir() {
            return dir.resolve("env");
        }

        void writeEnvironments(Map<String, DockerEngine> engines) throws IOException {
            Files.createDirectories(envDir());
            for (Map.Entry<String, DockerEngine> e : engines.entrySet()) {
                Files.writeString(envDir().resolve(e.getKey()), "export DOCKER_HOST=" + e.getValue().dockerHost() + "\n");
            }
        }

        void clearEnvironments() {
            Directories.deleteRecursively(envDir());
        }

        void reset() throws IOException {
            Directories.deleteRecursively(clusterDir());
            clearEnvironments();
            Files.createDirectories(pidDir());
            Files.createDirectories(logDir());
        }

        void writePid(String name, long pid) {
            try {
                Files.createDirectories(pidDir());
                Files.writeString(pidDir().resolve(name + ".pid"), Long.toString(pid));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void clearPids() {
            Directories.deleteRecursively(pidDir());
        }
    }
}
