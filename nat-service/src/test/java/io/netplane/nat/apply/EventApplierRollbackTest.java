package io.netplane.nat.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agroal.api.AgroalDataSource;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.model.PortSpec;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.netplane.nat.store.HostRow;
import io.netplane.nat.store.NatStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A checked exception after an event's first writes must roll them back: Jakarta Transactions
 * commits on a checked exception unless told otherwise. The failure is client-side (PostgreSQL
 * would abort the transaction itself after a failing statement, hiding the difference).
 */
@QuarkusTest
@QuarkusTestResource(LocalClusterResource.class)
class EventApplierRollbackTest {

    @Inject
    EventApplier applier;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void anEndpointWhoseRulesetCannotBeWrittenLeavesNoRowBehind() throws SQLException {
        QuarkusMock.installMockForType(new HostRulesets() {
            @Override
            public void refresh(Connection c, HostRow held) throws SQLException {
                throw new SQLException("injected: the ruleset cannot be written");
            }
        }, HostRulesets.class);
        String id = UUID.randomUUID().toString();
        String host = "rollback-" + id;
        EndpointAllocated endpoint = new EndpointAllocated(id, 1, Instant.now(), EndpointAllocated.SCHEMA_VERSION,
                "c-" + id, "web", "web", host, "create", host + "-web", "n-" + id, "net", "bridge", "eth0",
                "02:42:00:00:00:01", "172.18.0.2/16", null, null, 1500, List.of(), List.of(), List.of(), true, false,
                List.of(new PortSpec(null, 8080, null, 80, null, "tcp")), List.of(), false);

        assertThatThrownBy(() -> applier.apply(endpoint)).isInstanceOf(SQLException.class)
                .hasMessageContaining("injected");

        NatStore store = new NatStore();
        try (Connection c = dataSource.getConnection()) {
            assertThat(store.endpoint(c, id)).as("the endpoint row written before the failure").isEmpty();
            assertThat(store.host(c, host)).as("the host row written before the failure").isEmpty();
            assertThat(store.bindingsOfHost(c, host)).as("the port bindings written before the failure").isEmpty();
        }
    }
}
