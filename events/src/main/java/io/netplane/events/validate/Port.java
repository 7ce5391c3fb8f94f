package io.netplane.events.validate;

/** A TCP/UDP/SCTP port number, 1 to 65535, refused in Docker's words ({@code invalid hostPort: 99999}). */
public final class Port {

    private Port() {
    }

    /** {@code what} is Docker's field name: hostPort or containerPort. */
    public static int check(long port, String what) {
        if (port < 1 || port > 65535) {
            throw new InvalidValueException("invalid " + what + ": " + port);
        }
        return (int) port;
    }
}
