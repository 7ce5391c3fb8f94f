package io.netplane.events;

import io.netplane.events.model.ConnectSpec;
import io.netplane.events.model.ContainerSpec;
import io.netplane.events.model.NetworkSpec;
import io.netplane.events.model.Operation;
import java.time.Instant;

/**
 * An operation requested by a pipeline (topic {@code commands}, key request id). Exactly one of
 * the bodies is set, as the operation needs: {@code network} for CREATE_NETWORK, {@code container}
 * for CREATE_CONTAINER, {@code connect} for CONNECT and DISCONNECT, {@code target} (a network or
 * container id or name) for the removals. A request id is applied at most once.
 */
public record Command(String requestId, long revision, Instant time, int schemaVersion, Operation operation,
        NetworkSpec network, ContainerSpec container, ConnectSpec connect, String target, Boolean force)
        implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public Command {
        Require.text(requestId, "requestId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
        Require.present(operation, "operation");
    }

    @Override
    public String aggregateId() {
        return requestId;
    }
}
