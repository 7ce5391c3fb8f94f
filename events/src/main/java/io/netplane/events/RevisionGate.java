package io.netplane.events;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The consumer side of "state events, not deltas": remembers the newest revision applied per
 * aggregate and admits only newer ones, which makes redelivery and duplicates harmless.
 * A removal is remembered too, so a stale re-delivered creation cannot resurrect it.
 */
public final class RevisionGate {

    private final ConcurrentHashMap<String, Long> newest = new ConcurrentHashMap<>();

    /** True (and recorded) if {@code event} is newer than anything seen for its aggregate. */
    public boolean admit(NetplaneEvent event) {
        return admit(event.aggregateId(), event.revision());
    }

    public boolean admit(String aggregateId, long revision) {
        boolean[] admitted = {false};
        newest.compute(aggregateId, (id, held) -> {
            if (held == null || revision > held) {
                admitted[0] = true;
                return revision;
            }
            return held;
        });
        return admitted[0];
    }

    /** The newest revision admitted for an aggregate, or 0 if none. */
    public long newestRevision(String aggregateId) {
        return newest.getOrDefault(aggregateId, 0L);
    }

    public int size() {
        return newest.size();
    }
}
