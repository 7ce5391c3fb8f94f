package io.netplane.ipam.core;

/**
 * A refused request: an HTTP-like status and a message a person can act on, in Docker's words
 * where Docker has them. Thrown inside a transaction, it rolls the whole change back.
 */
public class IpamException extends RuntimeException {

    private final int status;

    public IpamException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static IpamException badRequest(String message) {
        return new IpamException(400, message);
    }

    public static IpamException forbidden(String message) {
        return new IpamException(403, message);
    }

    public static IpamException notFound(String message) {
        return new IpamException(404, message);
    }

    public static IpamException conflict(String message) {
        return new IpamException(409, message);
    }
}
