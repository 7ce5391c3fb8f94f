package io.netplane.bench.ipam;

import java.sql.Connection;
import java.sql.SQLException;

/** One way of handing out addresses, driven by one client thread on its own connection. */
interface Allocator {

    /** Takes an address for client {@code client}; returns it. */
    long allocate(Connection c, int client) throws SQLException;

    /** Gives back the address {@code client} holds. */
    void release(Connection c, int client, long address) throws SQLException;
}
