package io.netplane.events;

/** A record that cannot be turned into a netplane event; {@link #getMessage()} is the reason. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String reason) {
        super(reason);
    }

    public MalformedEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
