package io.netplane.ipam.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.netplane.events.validate.InvalidValueException;
import io.netplane.events.validate.Shown;
import io.netplane.ipam.core.DatabaseFailure;
import io.netplane.ipam.core.IpamException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Refusals become {"message": "..."} with their status, the body shape Docker's API uses, for
 * /v1 and the Docker endpoints alike: a value a validator refused, and a body that is not the
 * JSON asked for (saying where and what was expected, never echoing more than a short excerpt).
 */
public class ErrorMapper {

    private static final int MAX_DETAIL = 200;

    public record ErrorBody(String message) {
    }

    @ServerExceptionMapper
    public Response refused(IpamException e) {
        return body(e.status(), e.getMessage());
    }

    /** Without it a database outage answered 500 with no body (found by bench/faults, fault c). */
    @ServerExceptionMapper
    public Response unavailable(DatabaseFailure e) {
        return body(503, e.getMessage());
    }

    /**
     * Anything else that escapes a request: still a body that says what happened (the fault suite
     * found calls answered 500 with none while the database restarted); the request's transaction
     * was rolled back.
     */
    @ServerExceptionMapper
    public Response failed(RuntimeException e) {
        RuntimeException database = DatabaseFailure.of(e);
        if (database instanceof DatabaseFailure) {
            return unavailable((DatabaseFailure) database);
        }
        return body(500, "ipam-service could not complete the request (" + e.getClass().getSimpleName() + ": "
                + e.getMessage() + "); its transaction was rolled back");
    }

    @ServerExceptionMapper
    public Response invalid(InvalidValueException e) {
        return body(400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        return body(400, "malformed JSON in the request body: " + describe(e));
    }

    /** Takes the place of Quarkus's own mapper, which answers without saying what is wrong. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return malformed(e);
    }

    /** Quarkus's JSON reader wraps a body that does not parse in a 400 with no message. */
    @ServerExceptionMapper
    public Response unreadable(WebApplicationException e) {
        return e.getCause() instanceof JsonProcessingException j ? malformed(j) : e.getResponse();
    }

    static String describe(JsonProcessingException e) {
        String where = e instanceof JsonMappingException m && !m.getPath().isEmpty() ? " at \"" + path(m) + "\"" : "";
        if (e instanceof InvalidFormatException f) {
            return "wrong type" + where + ": " + Shown.of(String.valueOf(f.getValue())) + " is not " + typeName(f);
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return "wrong type" + where + ": expected " + typeName(m);
        }
        String detail = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().replaceAll("\\p{Cntrl}", " ");
        if (e.getLocation() != null) {
            where += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return (detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "..." : detail) + where;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
    }

    private static String typeName(MismatchedInputException e) {
        Class<?> t = e.getTargetType();
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            return "a whole number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(t)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(t) || t.isRecord()) {
            return "an object";
        }
        return "a " + t.getSimpleName();
    }

    private static Response body(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(message)).build();
    }
}
