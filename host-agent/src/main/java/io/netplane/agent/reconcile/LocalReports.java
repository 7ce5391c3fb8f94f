package io.netplane.agent.reconcile;

import io.netplane.events.EndpointStatus;
import io.netplane.events.model.EndpointState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This agent's own reports on endpoints (applied or failed), for a caller in the same agent that
 * must answer once its endpoint is in the kernel (a CNI ADD): it learns it here as the reconciler
 * reports it, not after the report's round trip through Kafka and ipam-service. The last reports
 * are kept, so a wait that starts after the report still sees it.
 */
public final class LocalReports {

    private static final int KEPT = 4096;

    private final Map<String, EndpointStatus> recent = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, EndpointStatus> eldest) {
            return size() > KEPT;
        }
    };
    private final Map<String, List<CompletableFuture<EndpointStatus>>> waiting = new HashMap<>();

    /** Told after each reconcile pass with the reports it made. */
    public void reported(List<EndpointStatus> reports) {
        List<Runnable> wake = new ArrayList<>();
        synchronized (this) {
            for (EndpointStatus s : reports) {
                if (s.state() == EndpointState.REMOVED) {
                    continue;
                }
                recent.put(s.endpointId(), s);
                List<CompletableFuture<EndpointStatus>> w = waiting.remove(s.endpointId());
                if (w != null) {
                    w.forEach(f -> wake.add(() -> f.complete(s)));
                }
            }
        }
        wake.forEach(Runnable::run);
    }

    /** The first report at or after {@code revision} of the endpoint, or empty when none comes within {@code atMost}. */
    public Optional<EndpointStatus> await(String endpointId, long revision, Duration atMost) {
        long until = System.nanoTime() + atMost.toNanos();
        while (true) {
            CompletableFuture<EndpointStatus> next = new CompletableFuture<>();
            synchronized (this) {
                EndpointStatus known = recent.get(endpointId);
                if (known != null && known.endpointRevision() >= revision) {
                    return Optional.of(known);
                }
                waiting.computeIfAbsent(endpointId, k -> new ArrayList<>()).add(next);
            }
            try {
                next.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                synchronized (this) {
                    List<CompletableFuture<EndpointStatus>> w = waiting.get(endpointId);
                    if (w != null) {
                        w.remove(next);
                        if (w.isEmpty()) {
                            waiting.remove(endpointId);
                        }
                    }
                }
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
