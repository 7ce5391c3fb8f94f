package io.netplane.nat.api;

import io.agroal.api.AgroalDataSource;
import io.netplane.events.model.BoundPort;
import io.netplane.nat.rules.RulesetCompiler;
import io.netplane.nat.rules.RulesetDocument;
import io.netplane.nat.store.BindingRow;
import io.netplane.nat.store.HostRow;
import io.netplane.nat.store.NatStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Ops view of one host: its published ports (and refused ones) and its ruleset. */
@Path("/v1/hosts/{host}")
@Produces(MediaType.APPLICATION_JSON)
public class HostResource {

    public record Refused(String endpointId, String containerId, String containerName, String error) {
    }

    /** {@code heldByHost}: the ports the host's own processes hold (its agent's latest heartbeat), never published. */
    public record PortBindings(String hostId, List<BindingRow> bindings, List<Refused> refused,
            List<BoundPort> heldByHost) {
    }

    public record RulesetView(String hostId, long revision, String document, List<String> chains,
            List<String> jumps) {
    }

    public record Problem(String message) {
    }

    private final NatStore store = new NatStore();

    @Inject
    AgroalDataSource dataSource;

    @GET
    @Path("/port-bindings")
    public PortBindings portBindings(@PathParam("host") String host) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<Refused> refused = store.refusedOfHost(c, host).stream()
                    .map(e -> new Refused(e.endpointId(), e.containerId(), e.containerName(), e.error())).toList();
            return new PortBindings(host, store.bindingsOfHost(c, host), refused, store.boundPorts(c, host));
        }
    }

    /**
     * The last published document, as the agent applies it with {@code iptables-restore --noflush};
     * with {@code Accept: application/json} also its revision, chains and jumps. 404 if none yet.
     */
    @GET
    @Path("/ruleset")
    @Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    public Response ruleset(@PathParam("host") String host, @Context HttpHeaders headers) throws SQLException {
        boolean json = headers.getAcceptableMediaTypes().stream()
                .anyMatch(t -> t.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !t.isWildcardType());
        try (Connection c = dataSource.getConnection()) {
            HostRow held = store.host(c, host).orElse(null);
            if (held == null) {
                return json ? notFound(new Problem(noRuleset(host)), MediaType.APPLICATION_JSON_TYPE)
                        : notFound(noRuleset(host) + "\n", MediaType.TEXT_PLAIN_TYPE);
            }
            if (!json) {
                return Response.ok(held.document(), MediaType.TEXT_PLAIN_TYPE).build();
            }
            return Response.ok(new RulesetView(host, held.revision(), held.document(),
                    RulesetDocument.declaredChains(held.document()), RulesetCompiler.JUMPS), MediaType.APPLICATION_JSON_TYPE).build();
        }
    }

    private static String noRuleset(String host) {
        return "no ruleset for host " + host + ": no endpoint on a bridge network has been seen on it";
    }

    private static Response notFound(Object entity, MediaType type) {
        return Response.status(Response.Status.NOT_FOUND).entity(entity).type(type).build();
    }
}
