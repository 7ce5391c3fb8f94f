package io.netplane.localcluster.up;

import io.netplane.localcluster.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./netplane up}: a fresh broker and database under .netplane/, then every service that is
 * built, each as a child process; prints where everything is and waits. Ctrl-C (or
 * {@code ./netplane down} from elsewhere) stops it all and leaves nothing running.
 */
public final class Up {

    static final int IPAM_PORT = 8080;
    static final int DNS_HTTP_PORT = 8082;
    static final int DNS_PORT = 5353;
    static final int NAT_PORT = 8083;
    static final int OVERLAY_PORT = 8084;

    private Up() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        State state = new State(root.resolve(".netplane"));
        Down.stopLeftovers(state);
        state.reset();

        System.out.println("netplane: starting Kafka and PostgreSQL ...");
        LocalCluster cluster = LocalCluster.start(state.clusterDir());
        List<ServiceProcess> services = services(root, cluster, state);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(services, cluster, state), "netplane-down"));
        state.writePid("up", ProcessHandle.current().pid());
        System.out.printf("  Kafka       %s   (started in %d ms)%n", cluster.kafkaBootstrap(),
                cluster.startupTimes().kafka().toMillis());
        System.out.printf("  PostgreSQL  %s   user %s   (started in %d ms)%n", cluster.jdbcUrl(), cluster.jdbcUser(),
                cluster.startupTimes().postgres().toMillis());

        List<ServiceProcess> started = new ArrayList<>();
        for (ServiceProcess s : services) {
            if (!s.available()) {
                System.out.printf("  %-16s not built, skipped%n", s.name);
                continue;
            }
            state.writePid(s.name, s.start());
            started.add(s);
        }
        for (ServiceProcess s : started) {
            boolean ready = s.awaitReady(Duration.ofSeconds(120));
            System.out.printf("  %-16s http://127.0.0.1:%d  %s%n", s.name, s.httpPort,
                    ready ? "ready" : "NOT READY, see " + s.log());
        }
        printGuide(started);
        Thread.currentThread().join();
    }

    private static List<ServiceProcess> services(Path root, LocalCluster cluster, State state) {
        Map<String, String> common = new HashMap<>(cluster.quarkusConfig());
        List<ServiceProcess> list = new ArrayList<>();
        list.add(service(root, "ipam-service", IPAM_PORT, common, state));
        Map<String, String> dns = new HashMap<>(common);
        dns.put("netplane.dns.port", Integer.toString(DNS_PORT));
        list.add(service(root, "dns-service", DNS_HTTP_PORT, dns, state));
        list.add(service(root, "nat-service", NAT_PORT, common, state));
        list.add(service(root, "overlay-service", OVERLAY_PORT, common, state));
        return list;
    }

    private static ServiceProcess service(Path root, String module, int port, Map<String, String> config, State state) {
        return new ServiceProcess(module, root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar"), port,
                config, state.logDir());
    }

    private static void printGuide(List<ServiceProcess> started) {
        System.out.println();
        System.out.println("netplane is up. Logs in .netplane/logs. Ctrl-C stops everything.");
        if (started.stream().anyMatch(s -> s.name.equals("ipam-service"))) {
            System.out.printf("  API         http://127.0.0.1:%d/v1/networks%n", IPAM_PORT);
            System.out.printf("  Swagger UI  http://127.0.0.1:%d/q/swagger-ui%n", IPAM_PORT);
            System.out.printf("  docker CLI  export DOCKER_HOST=tcp://127.0.0.1:%d; docker network ls%n", IPAM_PORT);
        }
        if (started.stream().anyMatch(s -> s.name.equals("dns-service"))) {
            System.out.printf("  DNS         127.0.0.1:%d (udp and tcp)%n", DNS_PORT);
        }
    }

    static void stopAll(List<ServiceProcess> services, LocalCluster cluster, State state) {
        System.out.println("netplane: stopping ...");
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop();
        }
        cluster.close();
        state.clearPids();
        System.out.println("netplane: stopped; nothing left running.");
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

        void reset() throws IOException {
            Down.deleteRecursively(clusterDir());
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
            Down.deleteRecursively(pidDir());
        }
    }
}
