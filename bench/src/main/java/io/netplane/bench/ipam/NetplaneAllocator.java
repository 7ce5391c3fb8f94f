package io.netplane.bench.ipam;

import io.netplane.events.model.ContainerSpec;
import io.netplane.events.model.EndpointSpec;
import io.netplane.events.model.NetworkSpec;
import io.netplane.ipam.address.Ipv4;
import io.netplane.ipam.core.Attachments;
import io.netplane.ipam.core.Container;
import io.netplane.ipam.core.GroupCommit;
import io.netplane.ipam.core.Ipam;
import io.netplane.ipam.core.IpamSettings;
import io.netplane.messaging.outbox.OutboxSchema;
import io.netplane.messaging.outbox.OutboxWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * netplane's allocation as ipam-service's REST API runs it (without HTTP): network connect of a
 * container through {@link Attachments}, which looks up the container and network, then joins
 * the address space's group commit, where the leader locks the space, takes the lowest free
 * address, writes the endpoint and its EndpointAllocated outbox row (messaging's OutboxWriter)
 * for every queued caller and commits once; release is network disconnect, the same way. Each
 * client's transactions run on its own connection (a leader runs the group on its own). No
 * relay runs, so the outbox only grows during the run.
 */
final class NetplaneAllocator implements Allocator {

    static final String NETWORK = "bench-net";

    private final Ipam ipam = new Ipam(IpamSettings.dockerDefaults(),
            new OutboxWriter("ipam", "/netplane/bench")::append);
    private final List<Container> containers = new ArrayList<>();
    /** The calling client's connection: where its transactions, and the groups it leads, run. */
    private final ThreadLocal<Connection> connection = new ThreadLocal<>();
    private final Attachments attachments = new Attachments(ipam.endpoints(), new GroupCommit.Transactions() {
        @Override
        public <T> T inNewTransaction(Ipam.Work<T> work) throws SQLException {
            return Ipam.inTransaction(connection.get(), work);
        }
    });

    /** Fresh ipam schema (the service's own migration), one network, one container per client. */
    void prepare(Connection c, int clients, int prefill) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS ipam CASCADE");
            s.execute("CREATE SCHEMA ipam");
            s.execute("SET search_path TO ipam");
            for (String migration : List.of("V1__ipam.sql", "V2__address_cursor.sql", "V3__drop_interim_outbox.sql")) {
                s.execute(new String(getClass().getResourceAsStream("/db/migration/" + migration).readAllBytes(),
                        StandardCharsets.UTF_8));
            }
            s.execute("SET search_path TO public");
        }
        OutboxSchema.ensure(c, "ipam");
        Ipam.inTransaction(c, x -> {
            ipam.networks().ensurePredefined(x);
            return ipam.networks().create(x, new NetworkSpec(NETWORK, "bridge",
                    List.of(new io.netplane.events.model.IpamConfig("10.64.0.0/16", null, null, null)), false, false,
                    false, null, null));
        });
        // prefill containers keep their address; client containers start detached and join in the run
        for (int i = 0; i < prefill + clients; i++) {
            String name = "k" + i;
            boolean client = i >= prefill;
            Container k = Ipam.inTransaction(c, x -> {
                Container made = ipam.containers().create(x, new ContainerSpec(name, null, "bench-host", "create",
                        List.of(new EndpointSpec(NETWORK, null, null, null)), null, null, false));
                if (client) {
                    ipam.endpoints().disconnect(x, made, NETWORK);
                }
                return made;
            });
            if (client) {
                containers.add(k);
            }
        }
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
        }
    }

    @Override
    public long allocate(Connection c, int client) throws SQLException {
        connection.set(c);
        Container k = containers.get(client);
        return attachments.connect(k.id(), k.hostId(), new EndpointSpec(NETWORK, null, null, null)).endpoint().ipv4();
    }

    @Override
    public void release(Connection c, int client, long address) throws SQLException {
        connection.set(c);
        Container k = containers.get(client);
        attachments.disconnect(k.id(), k.hostId(), NETWORK);
    }

    static String format(long address) {
        return Ipv4.format(address);
    }
}
