package io.netplane.overlay.service;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.OverlayNetworkMesh;
import io.netplane.messaging.quarkus.Outbox;
import io.netplane.overlay.engine.OverlayEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * One transaction per change: the engine writes the overlay rows and the new network records go
 * to the outbox in the same transaction, so a record is published if and only if its state committed.
 */
@ApplicationScoped
public class MeshTransactions {

    @Inject
    DataSource dataSource;

    @Inject
    Outbox outbox;

    @Transactional(rollbackOn = Exception.class)
    public int apply(OverlayEngine engine, NetplaneEvent event) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return publish(engine.apply(c, event));
        }
    }

    @Transactional(rollbackOn = Exception.class)
    public int markSilentHostsDown(OverlayEngine engine) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return publish(engine.markSilentHostsDown(c));
        }
    }

    private int publish(List<OverlayNetworkMesh> records) {
        records.forEach(outbox::publish);
        return records.size();
    }
}
