package io.netplane.bench.ipam;

import io.netplane.events.model.ContainerSpec;
import io.netplane.events.model.EndpointSpec;
import io.netplane.events.model.NetworkSpec;
import io.netplane.ipam.address.Ipv4;
import io.netplane.ipam.core.Container;
import io.netplane.ipam.core.Endpoint;
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
 * netplane's allocation as ipam-service runs it (without HTTP): network connect of a container,
 * which locks the address space, finds the lowest free address, writes the endpoint and its
 * EndpointAllocated outbox row (messaging's OutboxWriter), and commits; release is network
 * disconnect. No relay runs, so the outbox only grows during the run.
 */
final class NetplaneAllocator implements Allocator {

    static final String NETWORK = "bench-net";

    private final Ipam ipam = new Ipam(IpamSettings.dockerDefaults(),
            new OutboxWriter("ipam", "/netplane/bench")::append);
    private final List<Container> containers = new ArrayList<>();

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
        Endpoint e = Ipam.inTransaction(c, x -> ipam.endpoints().connect(x, containers.get(client),
                new EndpointSpec(NETWORK, null, null, null)));
        return e.ipv4();
    }

    @Override
    public void release(Connection c, int client, long address) throws SQLException {
        Ipam.inTransaction(c, x -> ipam.endpoints().disconnect(x, containers.get(client), NETWORK));
    }

    static String format(long address) {
        return Ipv4.format(address);
    }
}
