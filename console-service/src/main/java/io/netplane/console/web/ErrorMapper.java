package io.netplane.console.web;

import io.netplane.events.validate.InvalidValueException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A refused query parameter becomes 400 and an unknown endpoint 404, each with {"message": "..."}, the
 * body shape the other services answer with.
 */
public class ErrorMapper {

    public record ErrorBody(String message) {
    }

    @ServerExceptionMapper
    public Response invalid(InvalidValueException e) {
        return body(400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return body(404, e.getMessage());
    }

    private static Response body(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(message)).build();
    }
}
