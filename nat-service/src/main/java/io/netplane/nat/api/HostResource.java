package io.netplane.nat.api;

import io.agroal.api.AgroalDataSource;
import io.netplane.nat.rules.RulesetCompiler;
import io.netplane.nat.store.BindingRow;
import io.netplane.nat.store.HostRow;
import io.netplane.nat.store.NatStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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

    public record PortBindings(String hostId, List<BindingRow> bindings, List<Refused> refused) {
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
            return new PortBindings(host, store.bindingsOfHost(c, host), refused);
        }
    }

    /** The last published document; 404 if none was ever published for this host. */
    @GET
    @Path("/ruleset")
    public Response ruleset(@PathParam("host") String host) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            HostRow held = store.host(c, host).orElse(null);
            if (held == null) {
                return notFound(host, new Problem(noRuleset(host)));
            }
            return Response.ok(new RulesetView(host, held.revision(), held.document(), RulesetCompiler.CHAINS,
                    RulesetCompiler.JUMPS)).build();
        }
    }

    /** The document alone, ready for {@code iptables-restore --noflush}. */
    @GET
    @Path("/ruleset")
    @Produces(MediaType.TEXT_PLAIN)
    public Response rulesetText(@PathParam("host") String host) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return store.host(c, host).map(h -> Response.ok(h.document()).build())
                    .orElseGet(() -> notFound(host, noRuleset(host) + "\n"));
        }
    }

    private static String noRuleset(String host) {
        return "no ruleset for host " + host + ": no endpoint on a bridge network has been seen on it";
    }

    private static Response notFound(String host, Object entity) {
        return Response.status(Response.Status.NOT_FOUND).entity(entity).build();
    }
}
