package io.netplane.localcluster.up;

import io.netplane.events.kafka.KafkaClientProperties;
import io.netplane.events.kafka.KafkaIdentity;
import io.netplane.events.kafka.KafkaRole;
import io.netplane.localcluster.LocalCluster;
import io.netplane.localcluster.Ports;
import io.netplane.localcluster.tls.LocalCa;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole of netplane on one machine: the four services, the operators' console and one host agent per simulated
 * host, each a child process running its built Quarkus jar against the given cluster. Used by
 * {@code netplane up} and by the end-to-end tests.
 *
 * <p>Each service and each agent connects to Kafka as its own identity ({@link KafkaIdentity}):
 * on a cluster started with SCRAM and ACLs it gets its own credentials as {@code kafka.*}
 * properties and may do on the broker only what its role says. dns-service and the agents share
 * {@value #DNS_IDENTITY_KEY}, a random key made for each deployment. Secrets reach a child in its
 * environment, never on its command line, where every user of the machine could read them.
 */
public final class Deployment implements AutoCloseable {

    static final String DNS_IDENTITY_KEY = "netplane.dns.identity-key";
    private static final Set<String> SECRETS =
            Set.of(KafkaClientProperties.PREFIX + "sasl.jaas.config", DNS_IDENTITY_KEY);

    /**
     * HTTP and DNS ports of the services; ipamTls is the API over TLS with client certificates (dockerd's 2376),
     * console the operators' console.
     */
    public record PortPlan(int ipam, int ipamTls, int dnsHttp, int dns, int nat, int overlay, int console,
            int firstAgent) {
        public static PortPlan fixed() {
            return new PortPlan(8080, 2376, 8082, 5353, 8083, 8084, 8085, 8091);
        }

        public static PortPlan free() {
            return new PortPlan(Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(),
                    Ports.free(), 0);
        }
    }

    private final List<ServiceProcess> processes = new ArrayList<>();
    private final Map<String, DockerEngine> engines = new LinkedHashMap<>();
    private final SimulatedHosts hosts;
    private final PortPlan ports;
    private final LocalCa ca;
    private final Path dockerDir;

    private Deployment(SimulatedHosts hosts, PortPlan ports, LocalCa ca, Path dockerDir) {
        this.hosts = hosts;
        this.ports = ports;
        this.ca = ca;
        this.dockerDir = dockerDir;
    }

    /** Starts everything that is built; {@code pids} is told each child's pid. */
    public static Deployment start(Path root, LocalCluster cluster, SimulatedHosts hosts, PortPlan ports, Path logDir,
            PidSink pids) {
        return start(root, cluster, hosts, ports, logDir, pids, Map.of());
    }

    /**
     * As above, with extra configuration for every service (e.g. netplane.dns.upstreams in tests).
     * A new local certificate authority is made beside {@code logDir}, in {@code tls/}.
     */
    public static Deployment start(Path root, LocalCluster cluster, SimulatedHosts hosts, PortPlan ports, Path logDir,
            PidSink pids, Map<String, String> extraConfig) {
        return start(root, cluster, hosts, ports, logDir, pids, extraConfig, null);
    }

    /**
     * As above, and with {@code dockerDir} not null, one real dockerd per simulated host ({@link DockerEngine},
     * data roots under {@code dockerDir/NS/data}, logs in {@code logDir/dockerd-HOST.log}), started once the
     * agents are up; each agent is told its daemon, the plugin socket to serve, ipam-service's URL and the
     * address of its DNS stub (the host's underlay address). The caller checks {@link DockerEngine#missing()}.
     */
    public static Deployment start(Path root, LocalCluster cluster, SimulatedHosts hosts, PortPlan ports, Path logDir,
            PidSink pids, Map<String, String> extraConfig, Path dockerDir) {
        Deployment d = new Deployment(hosts, ports, LocalCa.create(logDir.resolveSibling("tls")), dockerDir);
        try {
            d.launch(root, cluster, logDir, pids, extraConfig);
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** Receives the pid of each started child, for `netplane down`. */
    @FunctionalInterface
    public interface PidSink {
        void started(String name, long pid);
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + ports.ipam();
    }

    /** The operators' console (console-service), plain HTTP on loopback. */
    public String consoleUrl() {
        return "http://127.0.0.1:" + ports.console();
    }

    public String dockerHost() {
        return "tcp://127.0.0.1:" + ports.ipam();
    }

    /** The docker CLI's environment for the API over TLS, as an operator (DOCKER_HOST, _TLS_VERIFY, _CERT_PATH). */
    public Map<String, String> dockerTlsEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DOCKER_HOST", "tcp://127.0.0.1:" + ports.ipamTls());
        env.put("DOCKER_TLS_VERIFY", "1");
        env.put("DOCKER_CERT_PATH", ca.clientDir(LocalCa.OPERATOR).toString());
        return env;
    }

    public int dnsPort() {
        return ports.dns();
    }

    public PortPlan ports() {
        return ports;
    }

    public List<ServiceProcess> processes() {
        return List.copyOf(processes);
    }

    private void launch(Path root, LocalCluster cluster, Path logDir, PidSink pids, Map<String, String> extra) {
        String identityKey = newDnsIdentityKey();
        List<ServiceProcess> services = new ArrayList<>();
        Map<String, String> ipam = serviceConfig(cluster, KafkaRole.IPAM_SERVICE, extra);
        ipam.putAll(ca.quarkusServerConfig(ports.ipamTls()));
        // Published ports are booked with nat-service before a container is committed, so a taken port fails the request.
        ipam.put("netplane.ipam.nat-url", "http://127.0.0.1:" + ports.nat());
        services.add(service(root, "ipam-service", "ipam-service", ports.ipam(), ipam, logDir));
        Map<String, String> dns = serviceConfig(cluster, KafkaRole.DNS_SERVICE, extra);
        dns.put("netplane.dns.port", Integer.toString(ports.dns()));
        dns.put(DNS_IDENTITY_KEY, identityKey);
        services.add(service(root, "dns-service", "dns-service", ports.dnsHttp(), dns, logDir));
        services.add(service(root, "nat-service", "nat-service", ports.nat(),
                serviceConfig(cluster, KafkaRole.NAT_SERVICE, extra), logDir));
        services.add(service(root, "overlay-service", "overlay-service", ports.overlay(),
                serviceConfig(cluster, KafkaRole.OVERLAY_SERVICE, extra), logDir));
        services.add(service(root, "console-service", "console-service", ports.console(),
                serviceConfig(cluster, KafkaRole.CONSOLE_SERVICE, extra), logDir));
        startAndAwait(services, pids);

        List<ServiceProcess> agents = new ArrayList<>();
        int i = 0;
        for (SimulatedHosts.Host h : hosts.hosts()) {
            Map<String, String> agent = new HashMap<>();
            cluster.quarkusConfig(KafkaIdentity.agent(h.id())).forEach((key, value) -> {
                if (key.startsWith(KafkaClientProperties.PREFIX)) {
                    agent.put(key, value); // the agent has no database
                }
            });
            agent.put(DNS_IDENTITY_KEY, identityKey);
            agent.put("netplane.agent.host-id", h.id());
            agent.put("netplane.agent.host-netns", h.netns());
            agent.put("netplane.agent.underlay-address", h.underlayAddress());
            agent.put("netplane.agent.dns-service", "127.0.0.1:" + ports.dns());
            if (dockerDir != null) {
                agent.putAll(dockerAgentConfig(h));
            }
            int port = ports.firstAgent() == 0 ? Ports.free() : ports.firstAgent() + i;
            agents.add(service(root, "host-agent-" + h.id(), "host-agent", port, agent, logDir));
            i++;
        }
        startAndAwait(agents, pids);
        if (dockerDir != null) {
            for (SimulatedHosts.Host h : hosts.hosts()) {
                DockerEngine engine = DockerEngine.start(new DockerEngine.Config(h.netns(), h.id(),
                        dockerDir.resolve(h.netns()).resolve("data"), logDir.resolve("dockerd-" + h.id() + ".log"),
                        h.underlayAddress()));
                engines.put(h.id(), engine);
                pids.started("dockerd-" + h.id(), engine.pid());
            }
        }
    }

    /** What an agent needs to be a Docker host's network (issue 13): its plugin socket, its daemon, ipam-service, its DNS address. */
    private Map<String, String> dockerAgentConfig(SimulatedHosts.Host h) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("netplane.agent.docker.plugin-socket", DockerPaths.pluginSocket(h.netns()).toString());
        config.put("netplane.agent.docker.engine", DockerPaths.dockerHost(h.netns()));
        config.put("netplane.agent.ipam-url", apiUrl());
        config.put("netplane.agent.docker.dns-address", h.underlayAddress());
        // The simulated host's own resolver is that same stub (its dockerd's daemon.json names it too): netplane's
        // containers on the default bridge get a copy of this file, as Docker's get the host's resolv.conf
        Path resolvConf = DockerPaths.runDir(h.netns()).resolve("host-resolv.conf");
        config.put("netplane.agent.host-resolv-conf", resolvConf.toString());
        try {
            // The agent serves its plugin socket here before its daemon starts.
            java.nio.file.Files.createDirectories(DockerPaths.runDir(h.netns()));
            java.nio.file.Files.writeString(resolvConf, "nameserver " + h.underlayAddress() + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return config;
    }

    /** The real dockerd of each simulated host, by host id; empty when the deployment runs none. */
    public Map<String, DockerEngine> dockerEngines() {
        return java.util.Collections.unmodifiableMap(engines);
    }

    private void startAndAwait(List<ServiceProcess> batch, PidSink pids) {
        for (ServiceProcess s : batch) {
            if (!s.available()) {
                throw new IllegalStateException(s.name + " is not built: run ./mvnw -B install -DskipTests");
            }
            pids.started(s.name, s.start());
            processes.add(s);
        }
        for (ServiceProcess s : batch) {
            s.requireReady(Duration.ofSeconds(180));
        }
    }

    /** A service's database, its own Kafka identity's client properties and the extra configuration. */
    private static Map<String, String> serviceConfig(LocalCluster cluster, KafkaRole role, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(cluster.quarkusConfig(KafkaIdentity.of(role)));
        config.putAll(extra);
        return config;
    }

    private static ServiceProcess service(Path root, String name, String module, int port, Map<String, String> config,
            Path logDir) {
        Map<String, String> plain = new HashMap<>();
        Map<String, String> secret = new HashMap<>();
        config.forEach((key, value) -> (SECRETS.contains(key) ? secret : plain).put(key, value));
        return new ServiceProcess(name, ServiceProcess.builtJar(root, module), port,
                plain, secret, logDir);
    }

    /** A fresh {@value #DNS_IDENTITY_KEY}, which dns-service refuses to start without (and shares with the agents). */
    public static String newDnsIdentityKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * Stops the hosts' dockerd first (their containers leave while the agents still answer the
     * plugin), then agents (they report leaving), then the services; removes sandboxes left behind.
     */
    @Override
    public void close() {
        List<DockerEngine> daemons = new ArrayList<>(engines.values());
        engines.clear();
        daemons.parallelStream().forEach(DockerEngine::close);
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).stop();
        }
        processes.clear();
        Sandboxes.removeAll(hosts.hosts());
        if (dockerDir != null) {
            for (SimulatedHosts.Host h : hosts.hosts()) {
                // the agents are gone: their plugin sockets' directories go too
                DockerEngine.removeLeftovers(h.netns(), dockerDir.resolve(h.netns()));
            }
        }
    }
}
