package io.netplane.messaging.consume;

import org.apache.kafka.common.errors.InterruptException;

/** Doubling waits between retries, from a first wait up to a ceiling; an interrupt ends the wait and the retrying. */
final class Backoff {

    private final long first;
    private final long ceiling;
    private long next;

    Backoff(long firstMillis, long ceilingMillis) {
        this.first = firstMillis;
        this.ceiling = ceilingMillis;
        this.next = firstMillis;
    }

    /** The wait the next {@link #pause} takes. */
    long nextMillis() {
        return next;
    }

    /** Waits, then doubles the next wait; throws Kafka's InterruptException (flag kept) when interrupted. */
    void pause() {
        try {
            Thread.sleep(next);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
        next = Math.min(next * 2, ceiling);
    }

    void reset() {
        next = first;
    }
}
