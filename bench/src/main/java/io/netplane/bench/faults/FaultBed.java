package io.netplane.bench.faults;

import io.netplane.localcluster.Directories;
import io.netplane.localcluster.LocalCluster;
import io.netplane.localcluster.Ports;
import io.netplane.localcluster.up.Deployment;
import io.netplane.localcluster.up.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The real processes the faults act on: local-cluster's broker and PostgreSQL, and the built jars
 * of nat-service, ipam-service (booking host ports with nat) and dns-service, each a child process
 * with its log under {@code work/logs}, which stays after {@link #close()}. More ipam-service
 * processes can join the same database.
 */
final class FaultBed implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(180);
    /** No agent signs queries here, but dns-service refuses to start without a key. */
    private static final String IDENTITY_KEY = Deployment.newDnsIdentityKey();

    final LocalCluster cluster;
    final ServiceProcess nat;
    final ServiceProcess ipam;
    final ServiceProcess dns;
    private final Path root;
    private final Path logDir;
    private final Path clusterDir;
    private final List<ServiceProcess> started = new ArrayList<>();

    private FaultBed(Path root, Path work) {
        this.root = root;
        this.logDir = work.resolve("logs");
        this.clusterDir = work.resolve("cluster");
        this.cluster = LocalCluster.start(clusterDir);
        try {
            nat = process("nat-service", "nat-service", Map.of());
            ready(nat);
            ipam = ipamProcess("ipam-a");
            Map<String, String> dnsConfig = new HashMap<>();
            dnsConfig.put("netplane.dns.port", Integer.toString(Ports.free()));
            dnsConfig.put("netplane.dns.upstreams", "127.0.0.1:9"); // no name outside the suite is asked
            dns = process("dns-service", "dns-service", dnsConfig);
            ready(ipam);
            ready(dns);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts everything from {@code root}'s built jars; throws, naming the log, if a service does not become ready. */
    static FaultBed start(Path root, Path work) {
        return new FaultBed(root, work);
    }

    /** Another ipam-service on the same database and broker, started (not yet ready). */
    ServiceProcess ipamProcess(String name) {
        return process(name, "ipam-service", Map.of("netplane.ipam.nat-url", url(nat)));
    }

    void ready(ServiceProcess p) {
        p.requireReady(READY);
    }

    /** Starts {@code p} again (after a kill) and waits until it reports ready. */
    void restart(ServiceProcess p) {
        p.start();
        ready(p);
    }

    static String url(ServiceProcess p) {
        return "http://127.0.0.1:" + p.httpPort;
    }

    DataSource db() {
        return cluster.dataSource();
    }

    private ServiceProcess process(String name, String module, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(cluster.quarkusConfig());
        config.putAll(extra);
        ServiceProcess p = new ServiceProcess(name, ServiceProcess.builtJar(root, module), Ports.free(), config,
                Map.of("netplane.dns.identity-key", IDENTITY_KEY), logDir);
        if (!p.available()) {
            throw new IllegalStateException(name + " is not built (" + ServiceProcess.builtJar(root, module)
                    + "): ./mvnw -B package -DskipTests -pl " + module + " -am");
        }
        started.add(p);
        p.start();
        return p;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop();
        }
        cluster.close();
        // the broker's and the database's data (1.4 GB after 10,000 endpoints); the logs stay
        Directories.deleteRecursively(clusterDir);
    }
}
