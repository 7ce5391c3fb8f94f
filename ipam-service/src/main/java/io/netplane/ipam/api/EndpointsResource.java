package io.netplane.ipam.api;

import io.netplane.ipam.api.Views.EndpointView;
import io.netplane.ipam.service.IpamService;
import io.netplane.ipam.service.StatusSignal;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
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
    StatusSignal reports;

    @GET
    @Operation(summary = "List endpoints, with whether their host's agent has applied them")
    public List<EndpointView> list() {
        return ipam.endpoints();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One endpoint, with whether its host's agent has applied it; with wait=true, "
            + "answers once the agent has applied it (or with the agent's error)")
    public EndpointView get(@PathParam("id") String id, @QueryParam("wait") boolean wait,
            @QueryParam("timeout") @DefaultValue("60") int timeoutSeconds) {
        return wait ? AppliedWait.until(() -> ipam.endpoint(id), reports, Duration.ofSeconds(timeoutSeconds))
                : ipam.endpoint(id);
    }
}
