package io.netplane.dns.server;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/** One UDP socket and the loop that serves it on its own thread. */
interface UdpListener extends Runnable {

    /** Ends the loop; its thread closes the socket on the way out. */
    void stop();

    /** Closes the socket of a loop whose thread never started. */
    void closeQuietly();

    /** A query {@link QueryHandler#answerAtOnce} left: its answer may come later; a failure drops it alone. */
    static void handleLater(QueryHandler handler, byte[] query, InetSocketAddress source, Consumer<byte[]> send) {
        try {
            handler.handle(query, source, Transport.UDP, send);
        } catch (RuntimeException e) {
            Logger.getLogger(UdpListener.class).debugf(e, "query from %s dropped: %s", source,
                    Arrays.toString(Arrays.copyOf(query, 12)));
        }
    }
}
