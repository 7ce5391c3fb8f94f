package io.netplane.ipam.support;

import io.netplane.events.model.ContainerSpec;
import io.netplane.events.model.EndpointSpec;
import io.netplane.ipam.core.Ipam;
import io.netplane.ipam.core.IpamSettings;
import io.netplane.messaging.outbox.OutboxWriter;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A second ipam-service process for the collision test: its own JVM and connection, running the
 * same allocation code against the same database. Args: jdbcUrl user password network host prefix count.
 */
public final class AllocatorProcess {

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(args[0]);
        ds.setUser(args[1]);
        ds.setPassword(args[2]);
        String network = args[3];
        String host = args[4];
        String prefix = args[5];
        int count = Integer.parseInt(args[6]);
        Ipam ipam = new Ipam(IpamSettings.dockerDefaults(), new OutboxWriter("ipam", "/netplane/ipam-service")::append);
        for (int i = 0; i < count; i++) {
            ContainerSpec spec = new ContainerSpec(prefix + i, null, host, "create",
                    List.of(new EndpointSpec(network, List.of(), null, List.of())), List.of(), List.of(), false);
            Ipam.inTransaction(ds, c -> ipam.containers().create(c, spec));
        }
        System.out.println("allocated " + count);
    }
}
