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

    /**
     * Answers the common query at once, on the caller's thread, without dnsjava and without copying
     * the query or the answer:
     * writes the answer into {@code answer} and returns its length, or returns -1 and does nothing
     * else, and the caller then passes the query to {@link #handle}. Keeps neither array.
     *
     * @param query  the first {@code length} bytes are the raw message, exactly as received
     */
    default int answerAtOnce(byte[] query, int length, InetSocketAddress source, Transport transport, byte[] answer) {
        return -1;
    }
}
