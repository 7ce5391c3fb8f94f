package io.netplane.agent.app;

import io.netplane.agent.AgentRuntime;
import io.netplane.agent.dns.DnsServiceLink;
import io.netplane.agent.docker.DockerSettings;
import io.netplane.agent.host.HostConfig;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.edge.ServiceClientTls;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netplane.events.DnsIdentity;
import io.netplane.events.kafka.KafkaClientProperties;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Starts the agent with the application (unless netplane.agent.enabled=false) and stops it cleanly. */
@ApplicationScoped
public class AgentService {

    private static final Logger LOG = Logger.getLogger(AgentService.class);

    @ConfigProperty(name = "netplane.agent.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "netplane.agent.host-id")
    Optional<String> hostId;
    @ConfigProperty(name = "netplane.agent.host-netns")
    Optional<String> hostNetns;
    @ConfigProperty(name = "netplane.agent.underlay-address")
    Optional<String> underlayAddress;
    @ConfigProperty(name = "netplane.agent.dns-service")
    Optional<String> dnsService;
    /** Shared with dns-service: the stubs sign each asker's identity with it (base64, at least 32 bytes). */
    @ConfigProperty(name = DnsIdentity.KEY_PROPERTY)
    Optional<String> dnsIdentityKey;
    /** Where the host's DNS stub for Docker's containers listens (port 53, in the host's namespace); off when unset. */
    @ConfigProperty(name = DnsServiceLink.DOCKER_DNS_PROPERTY)
    Optional<String> dockerDnsAddress;
    /** The host's resolv.conf, copied for containers on the default bridge and none, as Docker does. */
    @ConfigProperty(name = "netplane.agent.host-resolv-conf", defaultValue = "/etc/resolv.conf")
    Path hostResolvConf;
    @ConfigProperty(name = "netplane.agent.resync-interval", defaultValue = "10s")
    Duration resync;
    @ConfigProperty(name = "netplane.agent.heartbeat-interval", defaultValue = "3s")
    Duration heartbeat;
    @ConfigProperty(name = "netplane.agent.docker.plugin-socket")
    Optional<String> dockerPluginSocket;
    @ConfigProperty(name = "netplane.agent.docker.state-file")
    Optional<String> dockerStateFile;
    @ConfigProperty(name = "netplane.agent.docker.engine")
    Optional<String> dockerEngine;
    @ConfigProperty(name = "netplane.agent.ipam-url")
    Optional<String> ipamUrl;
    @Inject
    Config config;

    @Inject
    MeterRegistry registry;

    @Inject
    ServiceClientTls clientTls;

    private volatile AgentRuntime runtime;

    void start(@Observes StartupEvent ev) {
        if (!enabled) {
            LOG.info("host agent disabled (netplane.agent.enabled=false)");
            return;
        }
        String id = hostId.orElseGet(AgentService::machineName);
        String underlay = underlayAddress.orElseThrow(() -> new IllegalStateException(
                "netplane.agent.underlay-address is required: the address other hosts reach this one at"));
        Path netns = hostNetns.map(n -> n.contains("/") ? Path.of(n) : NamespaceManager.pathOf(n)).orElse(null);
        DnsServiceLink dns = dnsService.map(d -> DnsServiceLink.parse(d, dnsIdentityKey.orElse(null))).orElse(null);
        InetAddress dockerDns = dockerDnsAddress.map(a -> DnsServiceLink.dockerDnsAddress(a, dns)).orElse(null);
        HostConfig host = new HostConfig(id, netns, underlay, dns, hostResolvConf);
        Map<String, String> kafka = KafkaClientProperties.from(config.getPropertyNames(),
                name -> config.getOptionalValue(name, String.class));
        runtime = new AgentRuntime(host, kafka, resync, heartbeat);
        if (dockerPluginSocket.isPresent()) {
            URI ipam = ipamUrl.map(URI::create).orElse(null);
            runtime.serveDocker(new DockerSettings(Path.of(dockerPluginSocket.get()),
                    dockerStateFile.map(Path::of).orElse(null), dockerEngine.orElse(null), ipam,
                    ipam == null ? null : clientTls.forTarget(ipam, "netplane.agent.ipam-url").orElse(null)));
        }
        AgentRuntime counted = runtime;
        runtime.metrics(new AgentMetrics(registry, id), registry);
        FunctionCounter.builder("netplane.agent.records.dead.lettered", counted, AgentRuntime::refusedRecords)
                .tag("reason", "refused").description("records refused by the agent's checks, dead-lettered")
                .register(registry);
        FunctionCounter.builder("netplane.agent.records.dead.lettered", counted, AgentRuntime::malformedRecords)
                .tag("reason", "malformed").description("records the agent could not read, dead-lettered")
                .register(registry);
        if (dockerDns != null) {
            try {
                runtime.serveDockerDns(dockerDns);
            } catch (RuntimeException e) {
                stop(null);
                throw e;
            }
        }
        LOG.infof("host agent %s started (namespace %s, underlay %s)", id, netns == null ? "own" : netns, underlay);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public Optional<AgentRuntime> runtime() {
        return Optional.ofNullable(runtime);
    }

    private static String machineName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("set netplane.agent.host-id: cannot tell this machine's name", e);
        }
    }
}
