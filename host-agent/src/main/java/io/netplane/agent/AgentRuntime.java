package io.netplane.agent;

import io.micrometer.core.instrument.MeterRegistry;
import io.netplane.agent.dns.DnsServiceLink;
import io.netplane.agent.dns.DnsStubs;
import io.netplane.agent.dns.HostStubGuard;
import io.netplane.agent.docker.DockerSettings;
import io.netplane.agent.socket.LocalPlugins;
import io.netplane.agent.firewall.Firewall;
import io.netplane.agent.firewall.IptablesRunner;
import io.netplane.agent.host.HostConfig;
import io.netplane.agent.host.BoundPorts;
import io.netplane.agent.host.Heartbeats;
import io.netplane.agent.kafka.AgentPublisher;
import io.netplane.agent.kafka.DesiredStateFeed;
import io.netplane.agent.kafka.EndpointTraces;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.reconcile.DesiredState;
import io.netplane.agent.reconcile.DesiredStateStore;
import io.netplane.agent.reconcile.LocalReports;
import io.netplane.agent.reconcile.ReconcileMetrics;
import io.netplane.agent.reconcile.Reconciler;
import io.netplane.agent.sandbox.HostResolvConf;
import io.netplane.agent.sandbox.SandboxFiles;
import io.netplane.events.EndpointStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One host agent, wired: the desired-state feed from Kafka, the reconcile loop (on every
 * change, and every resync interval to repair drift), endpoint reports and heartbeats. The
 * first pass waits until the feed has read everything, so a restarted agent never removes
 * what it simply has not re-learned yet.
 */
public final class AgentRuntime implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AgentRuntime.class);
    private static final int DNS_PORT = 53;

    private final HostConfig host;
    private final Duration resync;
    private final NamespaceManager namespaces = new NamespaceManager();
    private final DesiredStateStore store;
    private final EndpointTraces traces = new EndpointTraces();
    private final AgentPublisher publisher;
    private final DesiredStateFeed feed;
    private final Reconciler reconciler;
    private final Heartbeats heartbeats;
    private final DnsStubs dnsStubs;
    private final Semaphore wake = new Semaphore(0);
    private final LocalReports localReports = new LocalReports();
    private final Thread loop;
    private volatile LocalPlugins plugins;
    /** The networks (id, revision) of the last pass, to see when the Docker plugin should mirror them. */
    private Map<String, Long> mirroredNetworks = Map.of();
    private volatile boolean running = true;
    private volatile Instant lastPass;
    private volatile String lastError;

    /** {@code kafka}: the client properties, broker and the host's credentials (see {@code KafkaClientProperties}). */
    public AgentRuntime(HostConfig host, Map<String, ?> kafka, Duration resync, Duration heartbeat) {
        this.host = host;
        this.resync = resync;
        this.store = new DesiredStateStore(host.hostId());
        this.publisher = new AgentPublisher(kafka, host.hostId());
        this.feed = new DesiredStateFeed(kafka, host.hostId(), store, publisher, traces, wake::release);
        this.reconciler = new Reconciler(host, namespaces,
                new SandboxFiles(new HostResolvConf(host.resolvConf())), new Firewall(new IptablesRunner(60)));
        this.heartbeats = new Heartbeats(host, publisher, () -> BoundPorts.read(namespaces, host.hostNetns(),
                reconciler.ownPorts()));
        this.dnsStubs = host.dnsService() == null ? null
                : new DnsStubs(namespaces, host.dnsService(), DNS_PORT);
        if (dnsStubs != null) {
            reconciler.onSandboxes(dnsStubs::sync);
        }
        this.loop = new Thread(this::run, "reconcile-loop");
        this.loop.setDaemon(true);
        heartbeats.start(heartbeat);
        feed.start();
        loop.start();
    }

    /**
     * Serves Docker's network and IPAM driver for this host's dockerd and CNI for netplane-cni, on
     * the socket {@link DockerSettings} names.
     */
    public void serveDocker(DockerSettings settings) {
        plugins = new LocalPlugins(settings, host, namespaces, wake::release,
                () -> feed.caughtUp() ? store.snapshot().networks().values() : null, localReports);
        reconciler.keepEngineVeths(plugins::hostVeths);
        reconciler.acceptBridgedForwarding(new IptablesRunner(60)); // dockerd sets FORWARD's policy to DROP
    }

    /** Where the reconcile passes report latencies, repairs and firewall applies. */
    public void metrics(ReconcileMetrics metrics, MeterRegistry registry) {
        reconciler.metrics(metrics);
        feed.bindTo(registry);
    }

    /** True once the feed caught up and a pass completed without an error escaping it. */
    public boolean ready() {
        return feed.caughtUp() && lastPass != null && lastError == null;
    }

    /** False once the desired-state feed or the reconcile loop has ended (before close): only a restart helps. */
    public boolean alive() {
        return feed.alive() && loop.isAlive();
    }

    /** Records dead-lettered because they ask for what the agent does not do (see RecordCheck). */
    public long refusedRecords() {
        return feed.refused();
    }

    /** Records dead-lettered because they could not be read. */
    public long malformedRecords() {
        return feed.malformed();
    }

    public String lastError() {
        return lastError;
    }

    /**
     * Serves this host's Docker engines as their upstream DNS on {@code address}:53 in the host's
     * namespace, answering each Docker container of this host as itself and any other source as
     * this host (see {@code DockerAskers}); stopped by {@link #close}. Needs dns-service. Queries
     * from other machines are dropped ({@link HostStubGuard}).
     */
    public void serveDockerDns(InetAddress address) {
        if (dnsStubs == null) {
            throw new IllegalStateException(DnsServiceLink.DOCKER_DNS_PROPERTY + " needs netplane.agent.dns-service");
        }
        dnsStubs.serveDocker(host.hostNetns(), address, host.hostId(), store::snapshot);
        try {
            new HostStubGuard(namespaces, new IptablesRunner(60)).close(host.hostNetns(), address);
        } catch (RuntimeException e) {
            LOG.warnf("DNS on %s stays open to other machines: %s", address.getHostAddress(), e.getMessage());
        }
    }

    private void run() {
        try {
            while (running && !feed.awaitCaughtUp(Duration.ofSeconds(1))) {
                LOG.debugf("host %s waits for the desired-state topics to be read", host.hostId());
            }
            long lastFull = System.nanoTime();
            boolean full = true; // the first pass is a full one
            while (running) {
                pass(full);
                if (full) {
                    lastFull = System.nanoTime();
                }
                long untilResync = resync.toNanos() - (System.nanoTime() - lastFull);
                if (untilResync > 0) {
                    wake.tryAcquire(untilResync, TimeUnit.NANOSECONDS);
                }
                wake.drainPermits();
                // a change wakes a quick pass; the resync is due on time even while changes keep coming
                full = System.nanoTime() - lastFull >= resync.toNanos();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wakes the Docker plugin's engine sync when a network was made, renamed or removed since the last pass. */
    private void mirrorNetworksIfChanged(DesiredState desired) {
        LocalPlugins p = plugins;
        if (p == null) {
            return;
        }
        Map<String, Long> now = new HashMap<>();
        desired.networks().forEach((id, n) -> now.put(id, n.revision()));
        if (!now.equals(mirroredNetworks)) {
            mirroredNetworks = now;
            p.networksChanged();
        }
    }

    /** {@code full}: also read back what may have drifted without an event (the periodic resync). */
    private void pass(boolean full) {
        try {
            DesiredState desired = store.snapshot();
            mirrorNetworksIfChanged(desired);
            List<EndpointStatus> reports = reconciler.reconcile(desired, full);
            localReports.reported(reports);
            for (int i = 0; i < reports.size(); i++) {
                try {
                    publisher.publish(reports.get(i), traces.of(reports.get(i)));
                } catch (RuntimeException e) {
                    // not delivered: report these again on the next pass
                    reconciler.forgetReports(reports.subList(i, reports.size()));
                    throw e;
                }
            }
            lastError = null;
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            LOG.errorf(e, "reconcile pass of host %s failed", host.hostId());
        }
        lastPass = Instant.now();
    }

    @Override
    public void close() {
        running = false;
        wake.release();
        try {
            loop.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (plugins != null) {
            plugins.close();
        }
        feed.close();
        heartbeats.close();
        if (dnsStubs != null) {
            dnsStubs.close();
        }
        reconciler.close();
        publisher.close();
        namespaces.close();
    }
}
