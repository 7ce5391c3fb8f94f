package io.netplane.ipam.api;

import io.netplane.events.model.ContainerSpec;
import io.netplane.events.model.EndpointSpec;
import io.netplane.ipam.api.Views.ContainerView;
import io.netplane.ipam.api.Views.EndpointView;
import io.netplane.ipam.service.IpamService;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Containers' networking. A container is named by id, id prefix or name; names are unique per
 * host, so {@code ?host=} picks one when several hosts use the same name.
 */
@Path("/v1/containers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "containers")
public class ContainersResource {

    @Inject
    IpamService ipam;

    @Inject
    AppliedWait appliedWait;

    /**
     * A wait that runs out answers 202 with the container, not an error: the container exists and
     * its host will still apply it, so a client that took an error for "not created" and retried
     * would be told the name is in use. The body's endpoints say which are applied.
     */
    @POST
    @Operation(summary = "Create a container's networking: one endpoint per requested network, in order; "
            + "with wait=true, answers 201 once the host's agent has applied every endpoint, or 202 with "
            + "the container when timeout (0 to " + WaitTimeout.MAX_SECONDS + " s, for all endpoints together) "
            + "runs out first")
    public Response create(ContainerSpec spec, @QueryParam("wait") boolean wait,
            @QueryParam("timeout") String timeout) {
        Duration waitAtMost = WaitTimeout.parse(timeout);
        ContainerView created = ipam.createContainer(spec);
        if (!wait) {
            return Response.status(201).entity(created).build();
        }
        List<String> endpoints = created.endpoints().stream().map(EndpointView::id).toList();
        boolean applied = appliedWait.allApplied(endpoints, ipam::endpoint, waitAtMost);
        ContainerView now = ipam.container(created.id(), null);
        if (applied) {
            return Response.status(201).entity(now.withWarnings(created.warnings())).build();
        }
        List<String> warnings = new ArrayList<>(created.warnings());
        warnings.add("container " + now.name() + " is created but its host " + now.hostId()
                + " has not applied it yet; GET /v1/containers/" + now.id() + " shows when it has");
        return Response.status(202).entity(now.withWarnings(warnings)).build();
    }

    @GET
    @Operation(summary = "List containers with their endpoints")
    public List<ContainerView> list() {
        return ipam.containers();
    }

    @GET
    @Path("{ref}")
    @Operation(summary = "A container with its endpoints")
    public ContainerView get(@PathParam("ref") String ref, @QueryParam("host") String host) {
        return ipam.container(ref, host);
    }

    @DELETE
    @Path("{ref}")
    @Operation(summary = "Remove a container's networking; releases all its addresses")
    public Response remove(@PathParam("ref") String ref, @QueryParam("host") String host) {
        ipam.removeContainer(ref, host);
        return Response.noContent().build();
    }

    @POST
    @Path("{ref}/networks")
    @Operation(summary = "Connect the container to a network (docker network connect)")
    public Response connect(@PathParam("ref") String ref, @QueryParam("host") String host, EndpointSpec spec) {
        EndpointView e = ipam.connect(ref, host, spec);
        return Response.status(201).entity(e).build();
    }

    @DELETE
    @Path("{ref}/networks/{network}")
    @Operation(summary = "Disconnect the container from a network; releases that address")
    public Response disconnect(@PathParam("ref") String ref, @PathParam("network") String network,
            @QueryParam("host") String host) {
        ipam.disconnect(ref, host, network);
        return Response.noContent().build();
    }
}
