package io.netplane.ipam.docker;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The Docker CLI prefixes paths with the API version it negotiated ("/v1.47/networks"); the
 * network endpoints answer the same with or without it, so the prefix is dropped before routing.
 * netplane's own API lives under "/v1/", which this pattern does not touch. The version is kept
 * ({@link DockerApiVersion}) so answers hold only the fields that version defines.
 */
public class ApiVersionPrefix {

    private static final Pattern VERSIONED = Pattern.compile("/v(1\\.\\d{1,3})(/.*)");

    @Inject
    DockerApiVersion version;

    @ServerRequestFilter(preMatching = true)
    public void strip(ContainerRequestContext ctx) {
        Matcher m = VERSIONED.matcher(ctx.getUriInfo().getRequestUri().getRawPath());
        if (m.matches()) {
            version.set(m.group(1));
            ctx.setRequestUri(ctx.getUriInfo().getRequestUriBuilder().replacePath(m.group(2)).build());
        }
    }
}
