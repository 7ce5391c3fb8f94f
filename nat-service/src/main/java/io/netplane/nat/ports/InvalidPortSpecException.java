package io.netplane.nat.ports;

/** A published-port request that cannot be served; the message is shown to the user as is. */
public class InvalidPortSpecException extends RuntimeException {
    public InvalidPortSpecException(String message) {
        super(message);
    }
}
