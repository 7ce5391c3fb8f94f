package io.netplane.nat.consume;

import io.netplane.events.kafka.EventRecords;
import io.netplane.nat.apply.EventApplier;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the networks and endpoints topics one record at a time, in order. A record that does not
 * decode throws, and SmallRye's dead-letter-queue strategy sends it to the dead-letter topic with
 * the exception message as the reason, then goes on.
 */
@ApplicationScoped
public class EventIntake {

    @Inject
    EventApplier applier;

    @Incoming("nat-in")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) throws SQLException {
        applier.apply(EventRecords.decode(record));
    }
}
