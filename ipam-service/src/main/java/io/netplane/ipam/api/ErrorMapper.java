package io.netplane.ipam.api;

import io.netplane.ipam.core.IpamException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Refusals become {"message": "..."} with their status, the body shape Docker's API uses. */
public class ErrorMapper {

    public record ErrorBody(String message) {
    }

    @ServerExceptionMapper
    public Response refused(IpamException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(e.getMessage()))
                .build();
    }
}
