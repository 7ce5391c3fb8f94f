package io.netplane.console.web;

import io.netplane.console.history.History;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Server-sent events for the open page: "changed" after each event the console reads (heartbeats
 * included, so host health stays current), on which the page fetches what it shows again; a slow
 * page misses some, which is harmless as each one only says "fetch again". A "tick" every 15 s
 * keeps idle connections from being cut by proxies.
 */
@Path("/api/stream")
@ApplicationScoped
public class StreamResource {

    @Inject
    History history;

    private final BroadcastProcessor<String> changes = BroadcastProcessor.create();

    void start(@Observes StartupEvent startup) {
        history.onChange(() -> changes.onNext("changed"));
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> stream() {
        return Multi.createBy().merging().streams(changes.onOverflow().drop(),
                Multi.createFrom().ticks().every(Duration.ofSeconds(15)).map(tick -> "tick"));
    }
}
