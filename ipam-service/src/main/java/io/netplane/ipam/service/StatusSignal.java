package io.netplane.ipam.service;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells {@code ?wait=true} requests of this process that an agent report has just been committed,
 * so they re-read at once instead of at their next poll. A report consumed by another service
 * process is not signalled here; the waiters' poll still finds it.
 */
@ApplicationScoped
public class StatusSignal {

    private long version;

    /** A value to pass to {@link #awaitAfter}; take it before reading the state waited for. */
    public synchronized long version() {
        return version;
    }

    /** Call after a report's transaction has committed. */
    public synchronized void changed() {
        version++;
        notifyAll();
    }

    /** Returns once a report committed after {@code seen} was taken, or after {@code maxMillis}. */
    public synchronized void awaitAfter(long seen, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        long left;
        while (version == seen && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
