package io.netplane.dns.app;

import io.netplane.dns.resolve.VisibleRecords;
import io.netplane.dns.view.View;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** What a given container would resolve by name: the ops view of the DNS rules. */
@Path("/v1/dns/records")
@Produces(MediaType.APPLICATION_JSON)
public class RecordsResource {

    /** The answer: the container and every name it resolves locally (anything else goes upstream). */
    public record ContainerRecords(String container, List<String> networks, List<VisibleRecords.NameRecord> records) {
    }

    @Inject
    DnsRuntime runtime;

    @GET
    public Response records(@QueryParam("container") String container) {
        if (container == null || container.isBlank()) {
            return error(Response.Status.BAD_REQUEST,
                    "query parameter 'container' is required: the id of the container whose view to show");
        }
        View view = runtime.view();
        if (view.endpointsOf(container).isEmpty()) {
            return error(Response.Status.NOT_FOUND, "No such container: " + container);
        }
        List<String> networks = view.endpointsOf(container).stream().map(e -> e.networkName()).distinct().toList();
        return Response.ok(new ContainerRecords(container, networks, VisibleRecords.of(view, container))).build();
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).entity(Map.of("message", message)).build();
    }
}
