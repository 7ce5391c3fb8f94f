package io.netplane.agent.reconcile;

import io.netplane.events.EndpointStatus;
import io.netplane.events.model.EndpointState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Remembers what was last reported per endpoint, so only changes are published. */
final class StatusBook {
    private final String hostId;
    private final Map<String, String> last = new HashMap<>();
    private final List<EndpointStatus> pending = new ArrayList<>();
    private long clock = System.currentTimeMillis() * 1000;

    StatusBook(String hostId) {
        this.hostId = hostId;
    }

    void applied(String endpointId, long revision) {
        report(endpointId, revision, EndpointState.APPLIED, null);
    }

    void failed(String endpointId, long revision, String error) {
        report(endpointId, revision, EndpointState.FAILED, error);
    }

    void removed(String endpointId, long revision) {
        report(endpointId, revision, EndpointState.REMOVED, null);
    }

    private void report(String endpointId, long revision, EndpointState state, String error) {
        String key = revision + " " + state + " " + error;
        if (key.equals(last.put(endpointId, key))) {
            return;
        }
        // monotonic across restarts: starts from the wall clock
        clock = Math.max(clock + 1, System.currentTimeMillis() * 1000);
        pending.add(new EndpointStatus(endpointId, clock, Instant.now(), EndpointStatus.SCHEMA_VERSION, hostId,
                revision, state, error));
    }

    void forget(String endpointId) {
        last.remove(endpointId);
    }

    List<EndpointStatus> drainChanged() {
        List<EndpointStatus> out = List.copyOf(pending);
        pending.clear();
        return out;
    }
}
