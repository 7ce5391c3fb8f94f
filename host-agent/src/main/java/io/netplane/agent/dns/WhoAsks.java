package io.netplane.agent.dns;

import java.net.InetAddress;

/**
 * Who a query to a {@link DnsStub} comes from: the stub signs that asker's identity into the
 * query it forwards to dns-service, so the answer is what that asker may see. A stub in a sandbox
 * knows its one container; the host's stub finds the container by the query's source address, and
 * asks as the host for any other source ({@link DockerAskers}).
 */
@FunctionalInterface
public interface WhoAsks {

    /**
     * The identity to sign for a query from {@code source}: a container id, or a host's identity
     * ({@link io.netplane.events.DnsIdentity#host}); null when nobody may ask from there (the stub
     * then answers REFUSED itself).
     */
    String askerAt(InetAddress source);

    /** Every query is the one container's: the stub runs inside its sandbox, where nobody else can ask. */
    static WhoAsks always(String containerId) {
        return source -> containerId;
    }
}
