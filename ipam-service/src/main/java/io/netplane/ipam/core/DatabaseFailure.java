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
     * {@code e} as a DatabaseFailure when a database error is its cause (messaging's outbox wraps the
     * SQLException of a failed append that way), else {@code e} itself.
     */
    public static RuntimeException of(RuntimeException e) {
        return e.getCause() instanceof SQLException s && !(e instanceof DatabaseFailure) ? new DatabaseFailure(s) : e;
    }
}
