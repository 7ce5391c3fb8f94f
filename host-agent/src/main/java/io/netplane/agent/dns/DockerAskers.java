package io.netplane.agent.dns;

import io.netplane.agent.reconcile.DesiredState;
import io.netplane.events.ContainerCreated;
import io.netplane.events.DnsIdentity;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.Names;
import io.netplane.events.validate.Ipv4Address;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.function.Supplier;

/**
 * Who asks the host's stub: dockerd's embedded DNS forwards a name it does not know to its
 * upstream (this stub) from the container's own namespace, so the query's source address is the
 * container's. That is the container whose endpoint on this host has the address and whose
 * sandbox a Docker engine owns ({@link Names#RUNTIME_SANDBOX}), in the agent's desired state at
 * the time of the query. Nobody is known when no endpoint of this host has the address, when it
 * belongs to a container netplane made a sandbox for (that one has its own stub), or when two
 * containers of this host hold it: a query is never answered as a container it may not come from.
 * Such a query (and one from the host itself, or from a container on one of Docker's own
 * networks) is asked as this host ({@link DnsIdentity#host}): dns-service resolves outside names
 * for it but answers no container's name.
 */
public final class DockerAskers implements WhoAsks {

    private final String host;
    private final Supplier<DesiredState> desired;

    /**
     * @param hostId  this host's id
     * @param desired this host's desired state now (e.g. {@code DesiredStateStore::snapshot})
     * @throws io.netplane.events.validate.InvalidValueException when {@code hostId} is not a valid host id
     */
    public DockerAskers(String hostId, Supplier<DesiredState> desired) {
        this.host = DnsIdentity.host(hostId);
        this.desired = desired;
    }

    /** The Docker container of this host at {@code source}, else this host. */
    @Override
    public String askerAt(InetAddress source) {
        String container = containerAt(source);
        return container != null ? container : host;
    }

    /** The Docker container of this host at {@code source}, or null when nobody is known there. */
    public String containerAt(InetAddress source) {
        if (!(source instanceof Inet4Address)) {
            return null;
        }
        byte[] b = source.getAddress();
        long wanted = (b[0] & 0xFFL) << 24 | (b[1] & 0xFFL) << 16 | (b[2] & 0xFFL) << 8 | (b[3] & 0xFFL);
        DesiredState state = desired.get();
        EndpointAllocated found = null;
        for (EndpointAllocated e : state.endpoints().values()) {
            if (!Long.valueOf(wanted).equals(address(e.ipv4Address()))) {
                continue;
            }
            if (found != null && !found.containerId().equals(e.containerId())) {
                return null; // two containers of this host at one address: cannot tell which asks
            }
            found = e;
        }
        if (found == null) {
            return null;
        }
        ContainerCreated container = state.containers().get(found.containerId());
        String sandbox = container != null ? container.sandbox() : found.sandbox();
        return Names.RUNTIME_SANDBOX.equals(sandbox) ? found.containerId() : null;
    }

    /** The address of "a.b.c.d/n" (or of "a.b.c.d"), null when there is none. */
    private static Long address(String cidr) {
        if (cidr == null) {
            return null;
        }
        int slash = cidr.indexOf('/');
        return Ipv4Address.parse(slash < 0 ? cidr : cidr.substring(0, slash));
    }
}
