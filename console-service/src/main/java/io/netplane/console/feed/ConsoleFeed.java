package io.netplane.console.feed;

import io.netplane.console.history.History;
import io.netplane.events.Topic;
import io.netplane.events.codec.CloudEvent;
import io.netplane.events.codec.TraceParent;
import io.netplane.events.kafka.EventRecords;
import io.netplane.messaging.consume.EventConsumer;
import io.netplane.messaging.quarkus.KafkaClientConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads every state topic from the beginning at each start, with messaging's {@link EventConsumer}
 * and no consumer group (nothing committed: the console keeps everything in memory), and records
 * each event in the {@link History} with the record's timestamp and source.
 */
@ApplicationScoped
public class ConsoleFeed {

    static final Topic[] TOPICS = {Topic.NETWORKS, Topic.CONTAINERS, Topic.ENDPOINTS, Topic.HOSTS, Topic.NAT_RULES,
        Topic.OVERLAY_MESH, Topic.AGENT_STATUS};

    @Inject
    KafkaClientConfig kafka;

    @Inject
    History history;

    private volatile EventConsumer consumer;

    @Produces
    @Singleton
    static History history(@ConfigProperty(name = "netplane.console.history-capacity") int capacity) {
        return new History(capacity);
    }

    void start(@Observes StartupEvent startup) {
        consumer = EventConsumer.builder().kafka(kafka.properties()).name("console").topics(TOPICS)
                .handler((event, record) -> history.record(event, record.topic(),
                        Instant.ofEpochMilli(record.timestamp()), Instant.now(),
                        EventRecords.header(record.headers(), CloudEvent.H_SOURCE),
                        EventRecords.trace(record.headers()).map(TraceParent::traceId).orElse(null)))
                .build().start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (consumer != null) {
            consumer.close();
        }
    }

    /** Null until the application has started. */
    public EventConsumer consumer() {
        return consumer;
    }
}
