package io.netplane.ipam.core;

import io.netplane.events.model.EndpointSpec;
import java.sql.SQLException;

/**
 * docker network connect and disconnect as the API runs them when no transaction is open: each
 * joins the group commit of the network it names (see {@link GroupCommit}), and finds its
 * container and network inside the group's transaction, as it would in one of its own. A group
 * usually is one address space; when it is not (a local network used on several hosts, or one
 * network named two ways) it only groups less well: the space locks still decide.
 */
public final class Attachments {

    /** A new endpoint with the container and network it joins. */
    public record Attached(Endpoint endpoint, Container container, Network network) {
    }

    private final EndpointOps endpoints;
    private final GroupCommit commits;

    public Attachments(EndpointOps endpoints, GroupCommit.Transactions transactions) {
        this.endpoints = endpoints;
        this.commits = new GroupCommit(transactions);
    }

    public Attached connect(String containerRef, String hostId, EndpointSpec spec) throws SQLException {
        String networkRef = EndpointOps.networkRef(spec);
        return commits.run(networkRef, c -> {
            Container k = ContainerOps.find(c, containerRef, hostId);
            Network n = NetworkOps.find(c, networkRef);
            return new Attached(endpoints.connect(c, k, n, spec), k, n);
        });
    }

    public void disconnect(String containerRef, String hostId, String networkRef) throws SQLException {
        commits.run(networkRef, c -> endpoints.disconnect(c, ContainerOps.find(c, containerRef, hostId), networkRef));
    }
}
