package io.netplane.ipam.core;

import io.netplane.ipam.outbox.EventSink;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The operations wired together. Each works inside a transaction the caller owns (a JTA one in
 * the service; {@link #inTransaction} for plain JDBC users such as the benchmark).
 */
public final class Ipam {

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final NetworkOps networks;
    private final EndpointOps endpoints;
    private final ContainerOps containers;
    private final RuntimeOps runtime;
    private final EventSink events;

    public Ipam(IpamSettings settings, EventSink events) {
        this(settings, events, PortReservations.NONE);
    }

    public Ipam(IpamSettings settings, EventSink events, PortReservations ports) {
        EventSink batched = TransactionBatch.buffering(events);
        this.events = events;
        this.networks = new NetworkOps(settings, batched);
        this.endpoints = new EndpointOps(networks, batched);
        this.containers = new ContainerOps(endpoints, batched, ports);
        this.runtime = new RuntimeOps(batched, ports);
    }

    public NetworkOps networks() {
        return networks;
    }

    public EndpointOps endpoints() {
        return endpoints;
    }

    public ContainerOps containers() {
        return containers;
    }

    public RuntimeOps runtime() {
        return runtime;
    }

    /**
     * Runs {@code work}, the whole of a transaction on {@code c}, as one batch: address spaces
     * locked and networks looked up once, its events appended together at the end (see
     * {@link TransactionBatch}).
     */
    <T> T batch(Connection c, Work<T> work) throws SQLException {
        return TransactionBatch.run(c, events, work);
    }

    /** Runs {@code work} in its own transaction on a connection from {@code ds}. */
    public static <T> T inTransaction(DataSource ds, Work<T> work) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return inTransaction(c, work);
        }
    }

    /** Runs {@code work} in its own transaction on {@code c}, which the caller keeps. */
    public static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }
}
