package io.netplane.ipam.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.ipam.api.Views.NetworkView;
import io.netplane.ipam.core.IpamException;
import io.netplane.ipam.service.IpamService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The Docker Engine API network endpoints, with Docker's paths, bodies and status codes, so the
 * docker CLI works against netplane. A container in connect/disconnect is a container netplane
 * knows, by id, id prefix or name.
 */
@Path("/networks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "docker-engine-api")
public class DockerNetworksResource {

    @Inject
    IpamService ipam;

    @Inject
    DockerApiVersion api;

    @GET
    @Operation(summary = "Docker: list networks (filters: name, id, driver, scope, type, label, dangling)")
    public List<Map<String, Object>> list(@QueryParam("filters") String filters) {
        NetworkFilters f = NetworkFilters.parse(filters);
        return ipam.networks().stream().filter(f::matches).map(d -> DockerJson.network(d, api)).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Docker: inspect a network")
    public Map<String, Object> inspect(@PathParam("id") String id) {
        return DockerJson.network(ipam.network(id), api);
    }

    @POST
    @Path("create")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Docker: create a network")
    public Response create(JsonNode body) {
        NetworkView n = ipam.createNetwork(DockerJson.createRequest(body));
        return Response.status(201).entity(Map.of("Id", n.id(), "Warning", "")).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Docker: remove a network")
    public Response remove(@PathParam("id") String id) {
        ipam.removeNetwork(id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/connect")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Docker: connect a container to a network")
    public Response connect(@PathParam("id") String id, JsonNode body) {
        String container = containerOf(body);
        String network = ipam.findNetwork(id).id(); // only its id: not every endpoint of it
        ipam.connect(container, null, DockerJson.endpointConfig(network, body.path("EndpointConfig")));
        return Response.ok().build();
    }

    @POST
    @Path("{id}/disconnect")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Docker: disconnect a container from a network")
    public Response disconnect(@PathParam("id") String id, JsonNode body) {
        ipam.disconnect(containerOf(body), null, id);
        return Response.ok().build();
    }

    @POST
    @Path("prune")
    @Operation(summary = "Docker: remove all user-defined networks without endpoints")
    public Map<String, Object> prune(@QueryParam("filters") String filters) {
        if (!NetworkFilters.parse(filters).isEmpty()) {
            throw IpamException.badRequest("netplane does not support filters on network prune yet: "
                    + "run it without --filter");
        }
        return Map.of("NetworksDeleted", ipam.pruneNetworks());
    }

    private static String containerOf(JsonNode body) {
        if (body == null || !body.path("Container").isTextual() || body.path("Container").asText().isBlank()) {
            throw IpamException.badRequest("the request body needs \"Container\": a container id or name");
        }
        return body.path("Container").asText();
    }
}
