package io.netplane.ipam.core;

import io.netplane.events.model.EndpointSpec;
import java.sql.SQLException;

/**
 * docker network connect and disconnect as the API runs them when no transaction is open: each
 * joins the group commit of the network it names (see {@link GroupCommit}), and finds its
 * container and network inside the group's transaction, as it would in one of its own. A group
 * usually is one address space; when it is not (a local network used on several hosts, or one
 * network named two ways) it only groups less well: the space locks still decide. A group's
 * transaction is one {@link TransactionBatch}: one lock of the space, one lookup of the network
 * and one outbox write for all its changes.
 */
public final class Attachments {

    /** A new endpoint with the container and network it joins. */
    public record Attached(Endpoint endpoint, Container container, Network network) {
    }

    private final EndpointOps endpoints;
    private final GroupCommit commits;

    public Attachments(Ipam ipam, GroupCommit.Transactions transactions) {
        this.endpoints = ipam.endpoints();
        this.commits = new GroupCommit(new GroupCommit.Transactions() {
            @Override
            public <T> T inNewTransaction(Ipam.Work<T> work) throws SQLException {
                return transactions.inNewTransaction(c -> ipam.batch(c, work));
            }
        });
    }

    public Attached connect(String containerRef, String hostId, EndpointSpec spec) throws SQLException {
        String networkRef = EndpointOps.networkRef(spec);
        return commits.run(networkRef, c -> {
            Container k = ContainerOps.find(c, containerRef, hostId);
            Network n = TransactionBatch.network(c, networkRef);
            return new Attached(endpoints.connect(c, k, n, spec), k, n);
        });
    }

    public void disconnect(String containerRef, String hostId, String networkRef) throws SQLException {
        commits.run(networkRef, c -> endpoints.disconnect(c, ContainerOps.find(c, containerRef, hostId),
                TransactionBatch.network(c, networkRef)));
    }
}
