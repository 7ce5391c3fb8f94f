package io.netplane.ipam.core;

import java.sql.SQLException;

/**
 * The database could not be used for a change (down, restarting, the connection cut): the change's
 * transaction rolled back. The API answers 503 with this message; a Kafka command is not refused
 * (this is no {@link IpamException}) but fails as before, to be tried again.
 */
public class DatabaseFailure extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public DatabaseFailure(SQLException cause) {
        super("ipam-service could not use its database (" + cause.getMessage() + "); nothing was changed: try again"
                + " once the database is back", cause);
    }

    /**
     * {@code e} as a DatabaseFailure when a database error is among its causes (messaging's outbox
     * wraps the SQLException of a failed append, the transaction manager a failed commit), else
     * {@code e} itself; a refusal ({@link IpamException}) stays one.
     */
    public static RuntimeException of(RuntimeException e) {
        if (e instanceof DatabaseFailure || e instanceof IpamException) {
            return e;
        }
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException s) {
                return new DatabaseFailure(s);
            }
        }
        return e;
    }
}
