package io.netplane.messaging.quarkus;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.codec.TraceParent;
import io.netplane.messaging.outbox.OutboxRelay;
import io.netplane.messaging.outbox.OutboxSchema;
import io.netplane.messaging.outbox.OutboxWriter;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The outbox of a Quarkus service with a database. Call {@link #publish} inside the
 * {@code @Transactional} method that changes state: the event row joins that transaction. The
 * relay starts and stops with the application. Enabled by the build property
 * {@code netplane.outbox.enabled=true}; the table lives in {@code netplane.outbox.schema}.
 */
@ApplicationScoped
@IfBuildProperty(name = "netplane.outbox.enabled", stringValue = "true")
public class Outbox {

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "netplane.outbox.schema")
    String schema;

    @Inject
    KafkaClientConfig kafka;

    @ConfigProperty(name = "quarkus.application.name")
    String application;

    private OutboxWriter writer;
    private OutboxRelay relay;

    void start(@Observes StartupEvent event) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            OutboxSchema.ensure(c, schema);
        }
        writer = new OutboxWriter(schema, "/netplane/" + application);
        relay = new OutboxRelay(dataSource, schema, kafka.properties());
        relay.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (relay != null) {
            relay.close();
        }
    }

    /** Appends {@code event} in the current transaction, in the thread's current trace; throws if there is none. */
    public void publish(NetplaneEvent event) {
        try (Connection c = dataSource.getConnection()) {
            writer.append(c, event);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write " + event.getClass().getSimpleName() + " to the outbox", e);
        }
    }

    /**
     * Appends {@code events} in the current transaction with one insert and one notify;
     * {@code traces[i]} (may be null) is the trace of the change that made {@code events[i]}.
     */
    public void publishAll(List<? extends NetplaneEvent> events, List<TraceParent> traces) {
        try (Connection c = dataSource.getConnection()) {
            writer.appendAll(c, events, traces);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write " + events.size() + " events to the outbox", e);
        }
    }
}
