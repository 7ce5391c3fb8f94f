package io.netplane.ipam.core;

import io.netplane.events.codec.TraceParent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group commit. Changes to one address space serialise on its lock, which is held until commit,
 * so each change paid its own lock turn and commit with everyone else queued behind it. Here
 * concurrent callers with the same group key (the network they change) queue in the process; one
 * of them, the leader, runs every queued change one after another in a single transaction, so
 * they share one lock turn and one commit. Each caller returns only after the transaction holding
 * its change has committed. When any change of a group fails (or the commit does), the group is
 * rolled back and each of its changes runs again alone, so every caller gets the result or error
 * it would have got without grouping (except when a commit's outcome is unknown: a change that
 * did commit then runs again and answers "already exists" or "not connected"). The database locks and constraints stay the guard,
 * between processes too; this only groups the callers of one process.
 */
public final class GroupCommit {

    /** Runs work in a transaction of its own that has committed when this returns. */
    public interface Transactions {
        <T> T inNewTransaction(Ipam.Work<T> work) throws SQLException;
    }

    /** Enough to amortise a commit; bounded so that one transaction stays short. */
    static final int MAX_GROUP = 128;

    private final Transactions transactions;
    private final ConcurrentHashMap<String, Queue> queues = new ConcurrentHashMap<>();

    public GroupCommit(Transactions transactions) {
        this.transactions = transactions;
    }

    /** Runs {@code work} in a committed transaction, possibly shared with other changes of {@code group}. */
    public <T> T run(String group, Ipam.Work<T> work) throws SQLException {
        Queue queue = queues.computeIfAbsent(group, k -> new Queue());
        Change<T> mine = new Change<>(work);
        boolean lead;
        synchronized (queue) {
            queue.waiting.add(mine);
            lead = !queue.busy;
            queue.busy = true;
        }
        if (lead || mine.awaitTurn()) {
            List<Change<?>> changes = new ArrayList<>();
            synchronized (queue) {
                while (!queue.waiting.isEmpty() && changes.size() < MAX_GROUP) {
                    changes.add(queue.waiting.poll());
                }
            }
            try {
                commit(changes);
            } finally {
                synchronized (queue) {
                    if (queue.waiting.isEmpty()) {
                        queue.busy = false;
                        // Groups are keyed as callers name the network: forget idle ones. A caller that
                        // still holds this queue just leads a group of its own; the database lock orders both.
                        queues.remove(group, queue);
                    } else {
                        queue.waiting.peek().promote();
                    }
                }
            }
        }
        return mine.outcome();
    }

    private void commit(List<Change<?>> group) {
        if (group.size() > 1) {
            try {
                List<Object> results = transactions.inNewTransaction(c -> {
                    List<Object> out = new ArrayList<>(group.size());
                    for (Change<?> change : group) {
                        out.add(change.run(c));
                    }
                    return out;
                });
                for (int i = 0; i < group.size(); i++) {
                    group.get(i).succeed(results.get(i));
                }
                return;
            } catch (Throwable groupFailed) {
                // rolled back: fall through and give each change its own transaction and outcome
            }
        }
        for (Change<?> change : group) {
            try {
                change.succeed(transactions.inNewTransaction(change::run));
            } catch (Throwable e) {
                change.fail(e);
            }
        }
    }

    private static final class Queue {
        final ArrayDeque<Change<?>> waiting = new ArrayDeque<>();
        boolean busy;
    }

    /**
     * One caller's change: it waits until it is done by a leader or becomes the leader itself. It
     * runs in its caller's trace, whichever thread runs it, so its events carry that trace.
     */
    private static final class Change<T> {
        final Ipam.Work<T> work;
        private final TraceParent trace = TraceParent.current();
        private boolean done;
        private boolean lead;
        private Object result;
        private Throwable error;

        Change(Ipam.Work<T> work) {
            this.work = work;
        }

        T run(Connection c) throws SQLException {
            TraceParent before = TraceParent.makeCurrent(trace);
            try {
                return work.run(c);
            } finally {
                TraceParent.makeCurrent(before);
            }
        }

        synchronized void succeed(Object value) {
            result = value;
            done = true;
            notifyAll();
        }

        synchronized void fail(Throwable e) {
            error = e;
            done = true;
            notifyAll();
        }

        synchronized void promote() {
            lead = true;
            notifyAll();
        }

        /** Waits; true when this caller must lead the next group (its change is not done yet). */
        synchronized boolean awaitTurn() {
            boolean interrupted = false;
            while (!done && !lead) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the change is queued and will run: wait for its outcome
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return !done;
        }

        @SuppressWarnings("unchecked")
        synchronized T outcome() throws SQLException {
            if (error instanceof SQLException e) {
                throw e;
            }
            if (error instanceof RuntimeException e) {
                throw e;
            }
            if (error instanceof Error e) {
                throw e;
            }
            if (error != null) {
                throw new IllegalStateException(error);
            }
            return (T) result;
        }
    }
}
