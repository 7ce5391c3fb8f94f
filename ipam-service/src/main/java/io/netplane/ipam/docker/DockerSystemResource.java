package io.netplane.ipam.docker;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The two system endpoints the Docker CLI needs before it talks networks: {@code /_ping}, whose
 * headers carry the API version the CLI then uses, and {@code /version}.
 */
@Path("/")
@Tag(name = "docker-engine-api")
public class DockerSystemResource {

    /** The Engine API version netplane speaks for networks (Docker 27.x). */
    public static final String API_VERSION = "1.47";
    public static final String MIN_API_VERSION = "1.24";

    @GET
    @Path("_ping")
    @Produces(MediaType.TEXT_PLAIN)
    public Response ping() {
        return withHeaders(Response.ok("OK"));
    }

    @HEAD
    @Path("_ping")
    public Response pingHead() {
        return withHeaders(Response.ok());
    }

    @GET
    @Path("version")
    @Produces(MediaType.APPLICATION_JSON)
    public Response version() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("Platform", Map.of("Name", "netplane"));
        v.put("Version", "netplane-0.1.0");
        v.put("ApiVersion", API_VERSION);
        v.put("MinAPIVersion", MIN_API_VERSION);
        v.put("Os", "linux");
        v.put("Arch", "amd64");
        v.put("KernelVersion", System.getProperty("os.version"));
        v.put("Components", java.util.List.of(Map.of("Name", "netplane ipam-service", "Version", "0.1.0")));
        return withHeaders(Response.ok(v));
    }

    private static Response withHeaders(Response.ResponseBuilder b) {
        return b.header("Api-Version", API_VERSION).header("Docker-Experimental", "false").header("Ostype", "linux")
                .header("Server", "netplane/0.1.0 (linux)").header("Cache-Control", "no-cache, no-store, must-revalidate")
                .header("Pragma", "no-cache").build();
    }
}
