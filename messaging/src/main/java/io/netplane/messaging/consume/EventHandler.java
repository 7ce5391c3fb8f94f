package io.netplane.messaging.consume;

import io.netplane.events.NetplaneEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What a consumer does with an event that is newer than anything seen for its aggregate. */
@FunctionalInterface
public interface EventHandler {
    void handle(NetplaneEvent event, ConsumerRecord<String, byte[]> record) throws Exception;
}
