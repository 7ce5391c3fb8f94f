package io.netplane.bench.ipam;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.codec.TraceParent;
import io.netplane.events.model.ContainerSpec;
import io.netplane.events.model.EndpointSpec;
import io.netplane.events.model.NetworkSpec;
import io.netplane.ipam.address.Ipv4;
import io.netplane.ipam.core.Attachments;
import io.netplane.ipam.core.Container;
import io.netplane.ipam.core.GroupCommit;
import io.netplane.ipam.core.Ipam;
import io.netplane.ipam.core.IpamSettings;
import io.netplane.ipam.outbox.EventSink;
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
 * container through {@link Attachments}, which joins the address space's group commit; the
 * leader runs every queued caller's change in one transaction (the container looked up, the
 * network once, the space locked once, the lowest free address from the space's bitmap, the
 * endpoint written) and writes their EndpointAllocated rows to messaging's outbox in one insert
 * and one notify, then commits; release is network disconnect, the same way.
 *
 * <p>Two service processes share the database: two independent allocators (each its own
 * {@link Ipam}, so its own in-memory address spaces, and its own group commit) in this JVM,
 * clients alternating between them. Each client's transactions run on its own connection (a
 * leader runs the group on its own). No relay runs, so the outbox only grows during the run.
 */
final class NetplaneAllocator implements Allocator {

    static final String NETWORK = "bench-net";

    /** One ipam-service process as far as allocation goes. */
    private final class Process {
        final Ipam ipam = new Ipam(IpamSettings.dockerDefaults(), new EventSink() {
            private final OutboxWriter writer = new OutboxWriter("ipam", "/netplane/bench");

            @Override
            public void append(Connection tx, NetplaneEvent event) throws SQLException {
                writer.append(tx, event);
            }

            @Override
            public void appendAll(Connection tx, List<NetplaneEvent> events, List<TraceParent> traces)
                    throws SQLException {
                writer.appendAll(tx, events, traces);
            }
        });
        final Attachments attachments = new Attachments(ipam, new GroupCommit.Transactions() {
            @Override
            public <T> T inNewTransaction(Ipam.Work<T> work) throws SQLException {
                return Ipam.inTransaction(connection.get(), work);
            }
        });
    }

    private final List<Process> processes;
    private final List<Container> containers = new ArrayList<>();
    /** The calling client's connection: where its transactions, and the groups it leads, run. */
    private final ThreadLocal<Connection> connection = new ThreadLocal<>();

    NetplaneAllocator(int processes) {
        this.processes = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            this.processes.add(new Process());
        }
    }

    /** Fresh ipam schema (the service's own migrations), one network, one container per client. */
    void prepare(Connection c, int clients, int prefill) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS ipam CASCADE");
            s.execute("CREATE SCHEMA ipam");
            s.execute("SET search_path TO ipam");
            // listed by hand: every service's scripts are on this classpath under db/migration
            for (String migration : List.of("V1__ipam.sql", "V2__address_cursor.sql", "V3__drop_interim_outbox.sql",
                    "V4__gateway_configured.sql", "V5__address_space.sql")) {
                s.execute(new String(getClass().getResourceAsStream("/db/migration/" + migration).readAllBytes(),
                        StandardCharsets.UTF_8));
            }
            s.execute("SET search_path TO public");
        }
        OutboxSchema.ensure(c, "ipam");
        Ipam ipam = processes.get(0).ipam;
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
        return processes.get(client % processes.size()).attachments.connect(k.id(), k.hostId(), new EndpointSpec(NETWORK, null, null, null)).endpoint().ipv4();
    }

    @Override
    public void release(Connection c, int client, long address) throws SQLException {
        connection.set(c);
        Container k = containers.get(client);
        processes.get(client % processes.size()).attachments.disconnect(k.id(), k.hostId(), NETWORK);
    }

    static String format(long address) {
        return Ipv4.format(address);
    }
}
