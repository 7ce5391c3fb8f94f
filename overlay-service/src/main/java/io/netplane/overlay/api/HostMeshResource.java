package io.netplane.overlay.api;

import io.netplane.events.OverlayMesh;
import io.netplane.overlay.model.HostEntry;
import io.netplane.overlay.service.OverlayService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/v1/hosts")
@Produces(MediaType.APPLICATION_JSON)
public class HostMeshResource {

    @Inject
    OverlayService overlay;

    /** The mesh the host was last sent (same revision and content as on overlay-mesh). */
    @GET
    @Path("/{host}/mesh")
    public OverlayMesh mesh(@PathParam("host") String hostId) {
        HostEntry host = overlay.read(model -> model.host(hostId)).orElseThrow(() -> ApiError.of(
                Response.Status.NOT_FOUND, "host " + hostId + " not found: no heartbeat has been received from it"));
        if (!host.up()) {
            throw ApiError.of(Response.Status.CONFLICT, "host " + hostId + " is down (last heartbeat "
                    + host.lastHeartbeat() + "); it is out of every mesh until its heartbeats resume");
        }
        return overlay.currentMesh(hostId).orElseThrow(() -> ApiError.of(Response.Status.NOT_FOUND,
                "host " + hostId + " not found: no heartbeat has been received from it"));
    }
}
