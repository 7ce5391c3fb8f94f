package io.netplane.overlay.api;

import io.netplane.overlay.model.EndpointEntry;
import io.netplane.overlay.model.HostEntry;
import io.netplane.overlay.model.MeshModel;
import io.netplane.overlay.model.NetworkEntry;
import io.netplane.overlay.service.OverlayService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@Path("/v1/overlay/networks")
@Produces(MediaType.APPLICATION_JSON)
public class OverlayNetworksResource {

    @Inject
    OverlayService overlay;

    /** An overlay network by id or by name: its VNI, the hosts carrying it and its endpoints. */
    @GET
    @Path("/{id}")
    public NetworkView network(@PathParam("id") String idOrName) {
        return overlay.read(model -> find(model, idOrName).map(n -> view(model, n)))
                .orElseThrow(() -> ApiError.of(Response.Status.NOT_FOUND, "network " + idOrName
                        + " not found (the overlay service knows only networks with driver overlay)"));
    }

    private static Optional<NetworkEntry> find(MeshModel model, String idOrName) {
        Optional<NetworkEntry> byId = model.network(idOrName);
        return byId.isPresent() ? byId : model.networkNamed(idOrName);
    }

    private static NetworkView view(MeshModel model, NetworkEntry n) {
        List<NetworkView.HostView> hosts = new ArrayList<>();
        List<NetworkView.EndpointView> endpoints = new ArrayList<>();
        model.endpointsOf(n.networkId()).forEach((hostId, eps) -> {
            Optional<HostEntry> host = model.host(hostId);
            hosts.add(new NetworkView.HostView(hostId, host.map(HostEntry::up).orElse(false),
                    host.map(HostEntry::underlayAddress).orElse(null), eps.size()));
            for (EndpointEntry e : eps) {
                endpoints.add(new NetworkView.EndpointView(e.endpointId(), hostId, e.ipAddress(), e.macAddress()));
            }
        });
        return new NetworkView(n.networkId(), n.name(), n.vni(), n.subnet(), n.gateway(), n.mtu(), n.vxlanName(),
                hosts, endpoints);
    }
}
