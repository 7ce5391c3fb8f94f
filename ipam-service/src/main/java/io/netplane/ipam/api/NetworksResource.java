package io.netplane.ipam.api;

import io.netplane.events.model.NetworkSpec;
import io.netplane.ipam.api.Views.NetworkView;
import io.netplane.ipam.core.NetworkPatch;
import io.netplane.ipam.service.IpamService;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/networks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "networks")
public class NetworksResource {

    @Inject
    IpamService ipam;

    @POST
    @Operation(summary = "Create a network (bridge or overlay); without a subnet it gets the lowest free default pool")
    public Response create(NetworkSpec spec) {
        return Response.status(201).entity(ipam.createNetwork(spec)).build();
    }

    @GET
    @Operation(summary = "List networks")
    public List<NetworkView> list() {
        return ipam.networks().stream().map(d -> Views.of(d.network())).toList();
    }

    @GET
    @Path("{ref}")
    @Operation(summary = "A network by id, name or id prefix, with its endpoints")
    public NetworkWithEndpoints get(@PathParam("ref") String ref) {
        IpamService.NetworkDetails d = ipam.network(ref);
        return new NetworkWithEndpoints(Views.of(d.network()), d.endpoints());
    }

    @PATCH
    @Path("{ref}")
    @Operation(summary = "Rename a network, or complete one a container engine made through netplane's plugin: "
            + "driver, internal, gateway, auxAddresses and options change only while it has no endpoints")
    public NetworkView update(@PathParam("ref") String ref, NetworkPatch patch) {
        return ipam.updateNetwork(ref, patch);
    }

    @DELETE
    @Path("{ref}")
    @Operation(summary = "Remove a network that has no endpoints")
    public Response remove(@PathParam("ref") String ref) {
        ipam.removeNetwork(ref);
        return Response.noContent().build();
    }

    public record NetworkWithEndpoints(NetworkView network, List<Views.EndpointView> endpoints) {
    }
}
