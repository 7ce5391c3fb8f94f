package io.netplane.nat.api;

import io.netplane.events.validate.HostId;
import io.netplane.events.validate.InvalidValueException;
import io.netplane.nat.api.HostResource.Problem;
import io.netplane.nat.apply.PortReservations;
import io.netplane.nat.ports.InvalidPortSpecException;
import io.netplane.nat.ports.PortAllocationException;
import io.netplane.nat.ports.PortBooking;
import io.netplane.nat.store.BindingRow;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.List;

/**
 * ipam-service books a container's host ports here before it commits the container: 200 with the
 * bindings, or 409 (taken) / 400 (a request that cannot be served) in Docker's words, nothing
 * booked. The same request for the same endpoint again is answered from what is booked.
 */
@Path("/v1/hosts/{host}/reservations/{endpoint}")
@Produces(MediaType.APPLICATION_JSON)
public class ReservationResource {

    public record Reserved(String hostId, String endpointId, List<BindingRow> bindings) {
    }

    @Inject
    PortReservations reservations;

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response reserve(@PathParam("host") String host, @PathParam("endpoint") String endpoint,
            PortReservations.Request request) throws SQLException {
        Response bad = check(host, endpoint);
        if (bad != null) {
            return bad;
        }
        if (request == null || request.networkId() == null || request.ports() == null
                || request.exposedPorts() == null) {
            return problem(400, "a reservation needs networkId, containerIp, ports and exposedPorts");
        }
        String name = request.containerName() == null ? request.containerId() : request.containerName();
        try {
            return Response.ok(new Reserved(host, endpoint, reservations.reserve(host, endpoint, request))).build();
        } catch (PortAllocationException | IllegalStateException taken) {
            return problem(409, PortBooking.refusal(name, endpoint, taken));
        } catch (InvalidPortSpecException invalid) {
            return problem(400, PortBooking.refusal(name, endpoint, invalid));
        }
    }

    @DELETE
    public Response release(@PathParam("host") String host, @PathParam("endpoint") String endpoint)
            throws SQLException {
        Response bad = check(host, endpoint);
        if (bad != null) {
            return bad;
        }
        reservations.release(host, endpoint);
        return Response.noContent().build();
    }

    private static Response check(String host, String endpoint) {
        try {
            HostId.check(host);
        } catch (InvalidValueException e) {
            return problem(400, e.getMessage());
        }
        if (!endpoint.matches("[0-9a-f]{1,64}")) {
            return problem(400, "an endpoint id is up to 64 lowercase hex digits");
        }
        return null;
    }

    private static Response problem(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new Problem(message)).build();
    }
}
