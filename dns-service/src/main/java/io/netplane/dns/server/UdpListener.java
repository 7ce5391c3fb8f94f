package io.netplane.dns.server;

/** One UDP socket and the loop that serves it on its own thread. */
interface UdpListener extends Runnable {

    /** Ends the loop; its thread closes the socket on the way out. */
    void stop();

    /** Closes the socket of a loop whose thread never started. */
    void closeQuietly();
}
