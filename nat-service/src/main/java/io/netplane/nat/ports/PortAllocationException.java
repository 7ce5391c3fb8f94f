package io.netplane.nat.ports;

/** A host port that cannot be given, in Docker's words. */
public class PortAllocationException extends RuntimeException {
    public PortAllocationException(String message) {
        super(message);
    }

    static PortAllocationException alreadyAllocated(String hostIp, int port) {
        return new PortAllocationException("Bind for " + hostIp + ":" + port + " failed: port is already allocated");
    }

    /** Docker's words when docker-proxy cannot bind a port a host process holds. */
    static PortAllocationException heldByHost(String hostIp, String protocol, int port) {
        return new PortAllocationException("Error starting userland proxy: listen " + protocol + "4 " + hostIp + ":" + port
                + ": bind: address already in use");
    }

    static PortAllocationException allAllocated() {
        return new PortAllocationException("all ports are allocated");
    }
}
