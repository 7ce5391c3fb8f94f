package io.netplane.console.history;

import io.netplane.console.model.Topology;
import io.netplane.events.HostHeartbeat;
import io.netplane.events.NetplaneEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Every change the console has read, in the order it read them, and the topology they add up to.
 *
 * <p>Heartbeats keep the live topology's health current but enter the history only when a host
 * joins (first beat, or after it left) or its underlay, version or start time changes: one beat
 * every 3 s per host would bury every other change.
 *
 * <p>At most {@code capacity} changes are kept; the oldest is folded into a base topology when it
 * goes, so the present stays right and the past can be rebuilt back to the oldest change kept.
 * The state at a moment is the base plus every kept change made at or before it; each aggregate's
 * revisions arrive in order, so folding in arrival order gives each aggregate its state then.
 */
public final class History {

    private final int capacity;
    private final Deque<Change> changes = new ArrayDeque<>();
    private final Topology live = new Topology();
    private final Topology base = new Topology();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private Instant forgottenUntil;
    private long nextSeq = 1;

    public History(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    /** Called after each event, on the feed's thread. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public void record(NetplaneEvent event, String topic, Instant published, Instant received, String source) {
        record(event, topic, published, received, source, null);
    }

    /** As above, for a record that carried the W3C trace {@code traceId} (null: none). */
    public void record(NetplaneEvent event, String topic, Instant published, Instant received, String source,
            String traceId) {
        synchronized (this) {
            Subjects subjects = Subjects.of(event, live);
            boolean kept = !(event instanceof HostHeartbeat h) || joinsOrChanges(h);
            live.apply(event);
            if (kept) {
                changes.addLast(new Change(nextSeq++, event, topic, published, received, source, traceId, subjects));
                if (changes.size() > capacity) {
                    Change oldest = changes.removeFirst();
                    base.apply(oldest.event());
                    forgottenUntil = oldest.when();
                }
            }
        }
        listeners.forEach(Runnable::run);
    }

    private boolean joinsOrChanges(HostHeartbeat beat) {
        return live.host(beat.hostId()).map(known -> known.left()
                || !Objects.equals(known.heartbeat().underlayAddress(), beat.underlayAddress())
                || !Objects.equals(known.heartbeat().agentVersion(), beat.agentVersion())
                || !Objects.equals(known.heartbeat().startedAt(), beat.startedAt())).orElse(true);
    }

    /** A copy of the topology now. */
    public synchronized Topology now() {
        return live.copy();
    }

    /** The topology as it was at {@code moment}, rebuilt from the kept changes. */
    public synchronized Topology at(Instant moment) {
        Topology t = base.copy();
        for (Change c : changes) {
            if (!c.when().isAfter(moment)) {
                t.apply(c.event());
            }
        }
        return t;
    }

    /** The newest {@code limit} changes that match, newest first. */
    public synchronized List<Change> newest(Predicate<Change> filter, int limit) {
        List<Change> found = new ArrayList<>();
        Iterator<Change> it = changes.descendingIterator();
        while (it.hasNext() && found.size() < limit) {
            Change c = it.next();
            if (filter.test(c)) {
                found.add(c);
            }
        }
        return found;
    }

    /** Every kept change of one aggregate, oldest first. */
    public synchronized List<Change> of(String aggregateId) {
        return changes.stream().filter(c -> c.event().aggregateId().equals(aggregateId)).toList();
    }

    /** The time of the newest change that had to be forgotten (capacity), if any: the past before it is lost. */
    public synchronized Optional<Instant> forgottenUntil() {
        return Optional.ofNullable(forgottenUntil);
    }

    public synchronized int size() {
        return changes.size();
    }
}
