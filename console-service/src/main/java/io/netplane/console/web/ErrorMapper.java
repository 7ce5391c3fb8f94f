package io.netplane.console.web;

import io.netplane.events.validate.InvalidValueException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A refused query parameter becomes 400 {"message": "..."}, the body shape the other services answer with. */
public class ErrorMapper {

    public record ErrorBody(String message) {
    }

    @ServerExceptionMapper
    public Response invalid(InvalidValueException e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(e.getMessage())).build();
    }
}
