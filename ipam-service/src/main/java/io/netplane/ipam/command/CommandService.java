package io.netplane.ipam.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.events.Command;
import io.netplane.events.CommandResult;
import io.netplane.events.codec.EventJson;
import io.netplane.events.model.CommandStatus;
import io.netplane.events.validate.InvalidValueException;
import io.netplane.ipam.core.IpamException;
import io.netplane.ipam.service.IpamService;
import io.netplane.ipam.store.Sql;
import io.netplane.messaging.quarkus.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Applies commands from the commands topic: the change, the request id marked as processed and
 * the one CommandResult commit together, so a replayed request id changes nothing and gets no
 * second result. A refused command rolls its change back and records its ERROR result instead.
 */
@ApplicationScoped
public class CommandService {

    @Inject
    IpamService ipam;

    @Inject
    DataSource dataSource;

    @Inject
    Outbox outbox;

    /** Returns false when this request id was applied before (nothing done then). */
    public boolean handle(Command cmd) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                if (!claim(cmd.requestId())) {
                    return false;
                }
                JsonNode result = EventJson.mapper().valueToTree(apply(cmd));
                publish(new CommandResult(cmd.requestId(), 1, Instant.now(), CommandResult.SCHEMA_VERSION,
                        cmd.operation(), CommandStatus.OK, 200, null, result));
                return true;
            });
        } catch (IpamException refused) {
            return refuse(cmd, refused.status(), refused.getMessage());
        } catch (InvalidValueException invalid) {
            return refuse(cmd, 400, invalid.getMessage());
        }
    }

    private boolean refuse(Command cmd, int status, String message) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (!claim(cmd.requestId())) {
                return false;
            }
            publish(new CommandResult(cmd.requestId(), 1, Instant.now(), CommandResult.SCHEMA_VERSION,
                    cmd.operation(), CommandStatus.ERROR, status, message, null));
            return true;
        });
    }

    private Object apply(Command cmd) {
        return switch (cmd.operation()) {
            case CREATE_NETWORK -> ipam.createNetwork(need(cmd.network(), cmd, "network"));
            case REMOVE_NETWORK -> Map.of("removed", ipam.removeNetwork(need(cmd.target(), cmd, "target")).id());
            case PRUNE_NETWORKS -> Map.of("networksDeleted", ipam.pruneNetworks());
            case CREATE_CONTAINER -> ipam.createContainer(need(cmd.container(), cmd, "container"));
            case REMOVE_CONTAINER -> ipam.removeContainer(need(cmd.target(), cmd, "target"), null);
            case CONNECT -> {
                var connect = need(cmd.connect(), cmd, "connect");
                yield ipam.connect(need(connect.container(), cmd, "connect.container"), null,
                        need(connect.endpoint(), cmd, "connect.endpoint"));
            }
            case DISCONNECT -> {
                var connect = need(cmd.connect(), cmd, "connect");
                var endpoint = need(connect.endpoint(), cmd, "connect.endpoint");
                ipam.disconnect(need(connect.container(), cmd, "connect.container"), null,
                        need(endpoint.network(), cmd, "connect.endpoint.network"));
                yield Map.of("disconnected", connect.container());
            }
        };
    }

    private static <T> T need(T value, Command cmd, String field) {
        if (value == null) {
            throw IpamException.badRequest(cmd.operation() + " needs \"" + field + "\" in the command");
        }
        return value;
    }

    private boolean claim(String requestId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Sql.update(c, "INSERT INTO ipam.processed_command (request_id, processed) VALUES (?, now())"
                    + " ON CONFLICT DO NOTHING", requestId) == 1;
        }
    }

    private void publish(CommandResult result) {
        outbox.publish(result);
    }
}
