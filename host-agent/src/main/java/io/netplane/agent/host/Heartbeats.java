package io.netplane.agent.host;

import io.netplane.agent.kafka.AgentPublisher;
import io.netplane.events.HostHeartbeat;
import io.netplane.events.HostLeft;
import io.netplane.events.model.BoundPort;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Registers the host and keeps it alive on the {@code hosts} topic; says HostLeft on a clean
 * stop. Revisions start from the wall clock (microseconds) so they keep growing across restarts.
 */
public final class Heartbeats implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Heartbeats.class);
    public static final String AGENT_VERSION = "0.1.0";

    private final HostConfig host;
    private final AgentPublisher publisher;
    private final Supplier<List<BoundPort>> boundPorts;
    private List<BoundPort> lastBoundPorts = List.of();
    private final Instant startedAt = Instant.now();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heartbeats");
        t.setDaemon(true);
        return t;
    });
    private long revision = System.currentTimeMillis() * 1000;

    /** {@code boundPorts}: the ports the host's own processes hold now, sent with each heartbeat. */
    public Heartbeats(HostConfig host, AgentPublisher publisher, Supplier<List<BoundPort>> boundPorts) {
        this.host = host;
        this.publisher = publisher;
        this.boundPorts = boundPorts;
    }

    public void start(Duration interval) {
        timer.scheduleWithFixedDelay(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized long next() {
        revision = Math.max(revision + 1, System.currentTimeMillis() * 1000);
        return revision;
    }

    private void beat() {
        try {
            publisher.publish(new HostHeartbeat(host.hostId(), next(), Instant.now(), HostHeartbeat.SCHEMA_VERSION,
                    host.underlayAddress(), AGENT_VERSION, startedAt, boundPorts()));
        } catch (RuntimeException e) {
            LOG.warnf("heartbeat of host %s not sent: %s", host.hostId(), e.getMessage());
        }
    }

    /** The host's own ports now, or as last read: failing to read them must not silence the heartbeat. */
    private List<BoundPort> boundPorts() {
        try {
            lastBoundPorts = boundPorts.get();
        } catch (RuntimeException e) {
            LOG.warnf("ports of host %s not read, sending the last ones: %s", host.hostId(), e.getMessage());
        }
        return lastBoundPorts;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            publisher.publish(new HostLeft(host.hostId(), next(), Instant.now(), HostLeft.SCHEMA_VERSION));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("HostLeft of host %s not sent: %s", host.hostId(), e.getMessage());
        }
    }
}
