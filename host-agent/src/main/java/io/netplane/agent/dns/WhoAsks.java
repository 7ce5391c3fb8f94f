package io.netplane.agent.dns;

import java.net.InetAddress;

/**
 * Which netplane container a query to a {@link DnsStub} comes from: the stub signs that
 * container's identity into the query it forwards to dns-service, so the answer is what that
 * container may see. A stub in a sandbox knows its one container; the host's stub finds it by the
 * query's source address ({@link DockerAskers}).
 */
@FunctionalInterface
public interface WhoAsks {

    /** The container id asking from {@code source}, or null when no container of this host is known there. */
    String containerAt(InetAddress source);

    /** Every query is the one container's: the stub runs inside its sandbox, where nobody else can ask. */
    static WhoAsks always(String containerId) {
        return source -> containerId;
    }
}
