package io.netplane.ipam.api;

import io.netplane.events.model.PortSpec;
import io.netplane.ipam.api.Views.ContainerView;
import io.netplane.ipam.api.Views.EndpointView;
import io.netplane.ipam.core.IpamException;
import io.netplane.ipam.core.RuntimeContainer;
import io.netplane.ipam.service.IpamService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/endpoints")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "endpoints")
public class EndpointsResource {

    @Inject
    IpamService ipam;

    @Inject
    AppliedWait appliedWait;

    @GET
    @Operation(summary = "List endpoints, with whether their host's agent has applied them")
    public List<EndpointView> list() {
        return ipam.endpoints();
    }

    /** A wait that runs out answers with the endpoint as it is: its {@code applied} says it is not yet. */
    @GET
    @Path("{id}")
    @Operation(summary = "One endpoint, with whether its host's agent has applied it; with wait=true, "
            + "answers once the agent has applied it (or with the agent's error), or as it is when "
            + "timeout (0 to " + WaitTimeout.MAX_SECONDS + " s) runs out first")
    public EndpointView get(@PathParam("id") String id, @QueryParam("wait") boolean wait,
            @QueryParam("timeout") String timeout) {
        Duration waitAtMost = WaitTimeout.parse(timeout);
        EndpointView e = ipam.endpoint(id);
        if (wait && !e.applied()) {
            appliedWait.allApplied(List.of(id), ipam::endpoint, waitAtMost);
            e = ipam.endpoint(id);
        }
        return e;
    }

    /** The ports an engine's container publishes through this endpoint (empty: none). */
    public record EndpointPorts(List<PortSpec> ports, List<String> exposedPorts) {
        public EndpointPorts {
            ports = ports == null ? List.of() : List.copyOf(ports);
            exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
        }
    }

    @PUT
    @Path("{id}/container")
    @Operation(summary = "For netplane's Docker plugin: the engine's container (id, name, hostname, aliases) "
            + "that joined this endpoint; the endpoint moves to it and answers to its names")
    public EndpointView adopt(@PathParam("id") String id, RuntimeContainer owner) {
        return ipam.adoptEndpoint(id, owner);
    }

    @PUT
    @Path("{id}/ports")
    @Operation(summary = "For netplane's Docker plugin: the ports the endpoint's container publishes, booked "
            + "with nat-service (409 in Docker's words when a host port is taken); an empty list revokes them")
    public ContainerView publish(@PathParam("id") String id, EndpointPorts body) {
        if (body == null) {
            throw IpamException.badRequest("the body must be {\"ports\": [...], \"exposedPorts\": [...]}");
        }
        return ipam.publishPorts(id, body.ports(), body.exposedPorts());
    }
}
