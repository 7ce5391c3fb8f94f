package io.netplane.ipam.command;

import io.netplane.events.Command;
import io.netplane.events.EndpointStatus;
import io.netplane.events.MalformedEventException;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.kafka.EventRecords;
import io.netplane.ipam.service.IpamService;
import io.netplane.ipam.service.StatusSignal;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * What ipam-service reads from Kafka, through SmallRye Reactive Messaging: its dead-letter-queue
 * strategy sends a record that throws to the dead-letter topic with the reason, a failed
 * database write included (see the module README: moving to EventConsumer is the fix).
 */
@ApplicationScoped
public class KafkaInbound {

    @Inject
    CommandService commands;

    @Inject
    IpamService ipam;

    @Inject
    StatusSignal reports;

    @Incoming("commands")
    @Blocking
    public void onCommand(ConsumerRecord<String, byte[]> record) {
        commands.handle(expect(record, Command.class));
    }

    @Incoming("agent-status")
    @Blocking
    public void onAgentStatus(ConsumerRecord<String, byte[]> record) {
        EndpointStatus status = expect(record, EndpointStatus.class);
        if (ipam.recordStatus(status.endpointId(), status.endpointRevision(), status.state().name(), status.error())) {
            reports.changed(); // committed: recordStatus is its own transaction
        }
    }

    private static <T extends NetplaneEvent> T expect(ConsumerRecord<String, byte[]> record, Class<T> type) {
        NetplaneEvent event = EventRecords.decode(record);
        if (!type.isInstance(event)) {
            throw new MalformedEventException("topic " + record.topic() + " carries " + type.getSimpleName()
                    + " events, not " + event.getClass().getSimpleName());
        }
        return type.cast(event);
    }
}
