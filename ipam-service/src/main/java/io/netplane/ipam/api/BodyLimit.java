package io.netplane.ipam.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body larger than {@code quarkus.http.limits.max-body-size} by its Content-Length,
 * before it is read, with a 413 that says so in the API's {"message": ...} shape. Quarkus's own
 * check (one route later) answers the same status with an empty body; it still catches a chunked
 * body that grows past the limit.
 */
@ApplicationScoped
public class BodyLimit {

    /** Quarkus checks the limit at order -2; this runs just before it. */
    private static final int ORDER = -3;

    void install(@Observes Router router,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        long max = limit.asLongValue();
        String message = new JsonObject().put("message", "request body is too large: netplane accepts at most "
                + (max % (1 << 20) == 0 ? max / (1 << 20) + " MB" : max + " bytes")).encode();
        router.route().order(ORDER).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && tooLong(length, max)) {
                ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                        .putHeader("Connection", "close").end(message);
                return;
            }
            ctx.next();
        });
    }

    private static boolean tooLong(String length, long max) {
        try {
            return Long.parseLong(length.trim()) > max;
        } catch (NumberFormatException e) {
            return false; // Vert.x refuses a malformed Content-Length itself
        }
    }
}
