package io.netplane.overlay.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.events.NetplaneEvent;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.netplane.messaging.quarkus.Outbox;
import io.netplane.overlay.engine.Events;
import io.netplane.overlay.engine.OverlayEngine;
import io.netplane.overlay.store.OverlayStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A checked exception after the engine has written its rows must roll them back: Jakarta
 * Transactions commits on a checked exception unless told otherwise. The failure is client-side
 * (PostgreSQL would abort the transaction itself after a failing statement, hiding the difference).
 */
@QuarkusTest
@QuarkusTestResource(LocalClusterResource.class)
class MeshTransactionsRollbackTest {

    @Inject
    MeshTransactions transactions;

    @Inject
    DataSource dataSource;

    @Test
    void aNetworkWhoseRecordCannotBePublishedIsNotRegistered() throws SQLException {
        QuarkusMock.installMockForType(new Outbox() {
            @Override
            public void publish(NetplaneEvent event) {
                throw Unchecked.<RuntimeException>sneaky(new SQLException("injected: the outbox cannot be written"));
            }
        }, Outbox.class);
        String network = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
        OverlayEngine engine = new OverlayEngine(new OverlayStore("overlay"), Clock.systemUTC(), Duration.ofSeconds(30));

        assertThatThrownBy(() -> transactions.apply(engine,
                Events.overlayNetwork(network, 1, "rollback", "10.9.0.0/24", "10.9.0.1")))
                .isInstanceOf(SQLException.class).hasMessageContaining("injected");

        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select count(*) from overlay.networks where network_id = ?")) {
            s.setString(1, network);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertThat(r.getInt(1)).as("the network row written before the failure").isZero();
            }
        }
    }

    /** Throws a checked exception where the signature declares none, as a proxy or a library may. */
    private static final class Unchecked {
        @SuppressWarnings("unchecked")
        static <E extends Throwable> E sneaky(Throwable t) throws E {
            throw (E) t;
        }
    }
}
