package io.netplane.ipam.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.events.model.ContainerSpec;
import io.netplane.events.model.EndpointSpec;
import io.netplane.events.model.IpamConfig;
import io.netplane.events.model.NetworkSpec;
import io.netplane.ipam.address.Ipv4;
import io.netplane.ipam.store.EndpointStore;
import io.netplane.ipam.support.Db;
import io.netplane.localcluster.LocalCluster;
import io.netplane.messaging.outbox.OutboxSchema;
import io.netplane.messaging.outbox.OutboxWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two ipam-service processes, each with its own address spaces in memory (two {@link Ipam}s with
 * their own connections), changing one network on one database: each must see the other's
 * changes, and one that dies holding a space must hand it on with nothing given twice.
 */
class AddressSpacesTest {

    private static final String NET = "spaces";
    private final Ipam a = process();
    private final Ipam b = process();
    private final List<Connection> opened = new ArrayList<>();

    private static Ipam process() {
        return new Ipam(IpamSettings.dockerDefaults(), new OutboxWriter("ipam", "/netplane/test")::append);
    }

    @BeforeAll
    static void schema() throws SQLException {
        Flyway.configure().dataSource(LocalCluster.shared().dataSource()).schemas("ipam").createSchemas(true).load()
                .migrate();
        try (Connection c = Db.connect()) {
            OutboxSchema.ensure(c, "ipam");
        }
    }

    @BeforeEach
    void network() throws SQLException {
        Db.reset();
        Ipam.inTransaction(connection(), c -> a.networks().create(c, new NetworkSpec(NET, "bridge",
                List.of(new IpamConfig("10.9.0.0/24", null, null, Map.of("printer", "10.9.0.3"))), false, false,
                false, null, null)));
    }

    @AfterEach
    void close() throws SQLException {
        for (Connection c : opened) {
            c.close();
        }
    }

    private Connection connection() throws SQLException {
        Connection c = Db.connect();
        opened.add(c);
        return c;
    }

    private String connect(Ipam process, Connection c, String name) throws SQLException {
        Container k = process.containers().create(c, new ContainerSpec(name, null, "h1", "create",
                List.of(new EndpointSpec(NET, null, null, null)), null, null, false));
        return Ipv4.format(EndpointStore.ofContainer(c, k.id()).get(0).ipv4());
    }

    private String connectAlone(Ipam process, String name) throws SQLException {
        Connection c = connection();
        return Ipam.inTransaction(c, x -> connect(process, x, name));
    }

    private void disconnectAlone(Ipam process, String name) throws SQLException {
        Ipam.inTransaction(connection(), c -> process.endpoints().disconnect(c, ContainerOps.find(c, name, "h1"), NET));
    }

    @Test
    void eachProcessTakesTheLowestFreeAddressAfterTheOthersChanges() throws Exception {
        assertThat(connectAlone(a, "k1")).isEqualTo("10.9.0.2");
        assertThat(connectAlone(b, "k2")).as("b sees what a holds; .3 is an aux address").isEqualTo("10.9.0.4");
        assertThat(connectAlone(a, "k3")).as("a sees what b took").isEqualTo("10.9.0.5");
        disconnectAlone(b, "k1");
        assertThat(connectAlone(a, "k4")).as("a sees what b freed").isEqualTo("10.9.0.2");
        disconnectAlone(a, "k2");
        assertThat(connectAlone(b, "k5")).as("b sees what a freed").isEqualTo("10.9.0.4");
        assertThat(connectAlone(b, "k6")).isEqualTo("10.9.0.6");
    }

    @Test
    void aProcessThatDiesHoldingTheSpaceHandsItOnAndNothingIsGivenTwice() throws Exception {
        assertThat(connectAlone(a, "k1")).isEqualTo("10.9.0.2");
        Connection dying = connection();
        dying.setAutoCommit(false);
        assertThat(connect(a, dying, "k2")).isEqualTo("10.9.0.4"); // a holds the space, uncommitted
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return connectAlone(b, "k3");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        connection().createStatement().execute("SELECT pg_terminate_backend(" + backendPid(dying) + ")");
        assertThat(waiting.get(60, TimeUnit.SECONDS)).as("b takes the space over; a's change died with it")
                .isEqualTo("10.9.0.4");
        assertThat(connectAlone(b, "k4")).isEqualTo("10.9.0.5");
        disconnectAlone(b, "k1");
        // a's memory still has .4 from its dead transaction and has not seen b's changes
        assertThat(connectAlone(a, "k5")).as("a rebuilt the space: lowest free is the one b freed")
                .isEqualTo("10.9.0.2");
        assertThat(connectAlone(a, "k6")).as("not .4 or .5, which b holds").isEqualTo("10.9.0.6");
        assertThat(Db.count("SELECT count(*) FROM ipam.endpoint e JOIN ipam.network n ON n.id = e.network_id"
                + " WHERE n.name = '" + NET + "'")).isEqualTo(4);
        assertThat(Db.count("SELECT count(DISTINCT ipv4_address) FROM ipam.endpoint e JOIN ipam.network n"
                + " ON n.id = e.network_id WHERE n.name = '" + NET + "'")).isEqualTo(4);
    }

    @Test
    void aChangeRolledBackLeavesNoHoleInTheOrder() throws Exception {
        Connection c = connection();
        c.setAutoCommit(false);
        assertThat(connect(a, c, "k1")).isEqualTo("10.9.0.2");
        c.rollback();
        assertThat(connectAlone(a, "k2")).isEqualTo("10.9.0.2");
    }

    private static int backendPid(Connection c) throws SQLException {
        try (var rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
