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

    public Ipam(IpamSettings settings, EventSink events) {
        this(settings, events, PortReservations.NONE);
    }

    public Ipam(IpamSettings settings, EventSink events, PortReservations ports) {
        this.networks = new NetworkOps(settings, events);
        this.endpoints = new EndpointOps(networks, events);
        this.containers = new ContainerOps(endpoints, events, ports);
        this.runtime = new RuntimeOps(events, ports);
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
