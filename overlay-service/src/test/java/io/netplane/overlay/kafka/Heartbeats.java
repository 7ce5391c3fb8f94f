package io.netplane.overlay.kafka;

import io.netplane.overlay.engine.Events;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Plays the agents of simulated hosts: one heartbeat per second for every host that is alive. */
public final class Heartbeats implements AutoCloseable {

    private final EventSender sender;
    private final Map<String, String> alive = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong(System.currentTimeMillis());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    public Heartbeats(EventSender sender) {
        this.sender = sender;
        timer.scheduleWithFixedDelay(this::beat, 0, 1, TimeUnit.SECONDS);
    }

    /** Starts heartbeats for a host now (the first one is sent before returning). */
    public void start(String hostId, String underlay) {
        alive.put(hostId, underlay);
        sender.send(Events.heartbeat(hostId, counter.incrementAndGet(), underlay));
    }

    /** The host's agent falls silent (no HostLeft: as if it crashed or was cut off). */
    public void silence(String hostId) {
        alive.remove(hostId);
    }

    private void beat() {
        alive.forEach((host, underlay) -> sender.send(Events.heartbeat(host, counter.incrementAndGet(), underlay)));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
