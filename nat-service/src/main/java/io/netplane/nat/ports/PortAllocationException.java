package io.netplane.nat.ports;

/** A host port that cannot be given, in Docker's words. */
public class PortAllocationException extends RuntimeException {
    public PortAllocationException(String message) {
        super(message);
    }

    static PortAllocationException alreadyAllocated(String hostIp, int port) {
        return new PortAllocationException("Bind for " + hostIp + ":" + port + " failed: port is already allocated");
    }

    static PortAllocationException allAllocated() {
        return new PortAllocationException("all ports are allocated");
    }
}
