package io.netplane.ipam.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StatusSignalTest {

    @Test
    void aReportCommittedBeforeTheWaitIsNotMissed() throws Exception {
        StatusSignal signal = new StatusSignal();
        long seen = signal.version();
        signal.changed(); // committed between the waiter's read and its wait
        Thread waiter = new Thread(() -> {
            try {
                signal.awaitAfter(seen, TimeUnit.HOURS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        waiter.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(waiter.isAlive()).as("waiter returned without waiting for its poll").isFalse();
    }

    @Test
    void aWaiterWakesOnTheNextReport() throws Exception {
        StatusSignal signal = new StatusSignal();
        long seen = signal.version();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                waiting.countDown();
                signal.awaitAfter(seen, TimeUnit.HOURS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        waiting.await();
        signal.changed();
        waiter.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(waiter.isAlive()).as("waiter woke on the report").isFalse();
        assertThat(signal.version()).isEqualTo(seen + 1);
    }
}
