package io.netplane.ipam.core;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.codec.TraceParent;
import io.netplane.ipam.outbox.EventSink;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the changes of one group-committed transaction share, so that the group pays once what
 * each change would pay again: the address spaces it has locked, the networks it has looked up,
 * and its events (each with the trace of the change that made it), written to the outbox in one
 * insert and one notify before the commit. Bound to
 * the thread running the transaction; outside one (a change in a caller's own transaction) every
 * change locks, looks up and appends for itself.
 */
final class TransactionBatch {

    private static final ThreadLocal<TransactionBatch> CURRENT = new ThreadLocal<>();

    final Map<String, AddressSpaces.Space> locked = new HashMap<>();
    private final Map<String, Network> networks = new HashMap<>();
    private final List<NetplaneEvent> events = new ArrayList<>();
    private final List<TraceParent> traces = new ArrayList<>();

    static TransactionBatch current() {
        return CURRENT.get();
    }

    /** Runs {@code work}, which must be the whole of the transaction on {@code c}, as one batch. */
    static <T> T run(Connection c, EventSink sink, Ipam.Work<T> work) throws SQLException {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("a transaction batch is already open on this thread");
        }
        TransactionBatch batch = new TransactionBatch();
        CURRENT.set(batch);
        try {
            T result = work.run(c);
            if (!batch.events.isEmpty()) {
                sink.appendAll(c, batch.events, batch.traces);
            }
            return result;
        } finally {
            CURRENT.remove();
        }
    }

    /** The sink the operations append to: into the open batch, else straight to {@code sink}. */
    static EventSink buffering(EventSink sink) {
        return (c, event) -> {
            TransactionBatch batch = CURRENT.get();
            if (batch == null) {
                sink.append(c, event);
            } else {
                batch.events.add(event);
                batch.traces.add(TraceParent.current());
            }
        };
    }

    /** {@link NetworkOps#find}, once per reference in a batch. */
    static Network network(Connection c, String ref) throws SQLException {
        TransactionBatch batch = CURRENT.get();
        if (batch == null) {
            return NetworkOps.find(c, ref);
        }
        Network n = batch.networks.get(ref);
        if (n == null) {
            n = NetworkOps.find(c, ref);
            batch.networks.put(ref, n);
        }
        return n;
    }
}
