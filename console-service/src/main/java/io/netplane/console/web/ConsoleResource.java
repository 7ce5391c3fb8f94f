package io.netplane.console.web;

import io.netplane.console.history.Change;
import io.netplane.console.history.History;
import io.netplane.console.timing.ConnectTimeline;
import io.netplane.console.view.TopologyView;
import io.netplane.events.validate.InvalidValueException;
import io.netplane.events.validate.Shown;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** What the page reads: the topology now or at a moment, the timeline of changes, one connect's timeline. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class ConsoleResource {

    static final int MAX_LIMIT = 1000;

    @Inject
    History history;

    /** The history kept: how many changes, and the moment before which the past is lost (null: nothing lost). */
    public record HistoryInfo(int changes, String forgottenUntil) {
    }

    @GET
    @Path("topology")
    public TopologyView topology(@QueryParam("at") String at) {
        if (at == null || at.isBlank()) {
            return TopologyView.of(history.now(), Instant.now(), true);
        }
        Instant moment = Moment.parse(at);
        history.forgottenUntil().filter(lost -> !moment.isAfter(lost)).ifPresent(lost -> {
            throw new InvalidValueException("the console no longer holds the changes before " + lost
                    + " (it keeps the newest ones only): choose a later moment");
        });
        return TopologyView.of(history.at(moment), moment, false);
    }

    @GET
    @Path("changes")
    public List<ChangeView> changes(@QueryParam("network") String network, @QueryParam("container") String container,
            @QueryParam("host") String host, @QueryParam("limit") Integer limit) {
        int n = limit == null ? 200 : limit;
        if (n < 1 || n > MAX_LIMIT) {
            throw new InvalidValueException("limit must be between 1 and " + MAX_LIMIT + ", not " + n);
        }
        String net = blankToNull(network);
        String ctr = blankToNull(container);
        String hst = blankToNull(host);
        return history.newest(c -> c.subjects().matches(net, ctr, hst), n).stream().map(ChangeView::of).toList();
    }

    @GET
    @Path("history")
    public HistoryInfo info() {
        return new HistoryInfo(history.size(), history.forgottenUntil().map(Instant::toString).orElse(null));
    }

    @GET
    @Path("endpoints/{id}/timeline")
    public ConnectTimeline timeline(@PathParam("id") String endpointId) {
        List<Change> changes = history.of(endpointId);
        return ConnectTimeline.of(endpointId, changes).orElseThrow(() -> new NotFoundException(
                "no allocation of endpoint \"" + Shown.of(endpointId) + "\" in the console's history"));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
