package io.netplane.dns.server;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** Turns one DNS message into at most one reply; the reply may come later, from another thread. */
public interface QueryHandler {

    /**
     * @param query  the raw message, exactly as received (any bytes at all)
     * @param source who sent it
     * @param reply  called at most once with the answer's wire bytes; never called means no answer
     */
    void handle(byte[] query, InetSocketAddress source, Transport transport, Consumer<byte[]> reply);
}
