package io.netplane.console.timing;

import static io.netplane.console.support.Made.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.console.history.History;
import io.netplane.console.support.Made;
import io.netplane.events.ContainerCreated;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.NetworkCreated;
import io.netplane.events.model.EndpointState;
import org.junit.jupiter.api.Test;

class ConnectTimelineTest {

    private final History history = new History(100);
    private final NetworkCreated front = Made.network("n1", "front", "172.18.0.0/16", at(0));
    private final ContainerCreated web = Made.container("c1", "web", "h1", at(1));
    private final EndpointAllocated webOnFront = Made.endpoint("e1", web, front, "172.18.0.2/16", at(1));

    @Test
    void aConnectShowsEachStepAndHowLongAfterItsCauseItCame() {
        history.record(webOnFront, "endpoints", at(1).plusMillis(12), at(1).plusMillis(20), "/netplane/ipam-service");
        history.record(Made.status(webOnFront, 1, EndpointState.APPLIED, at(1).plusMillis(95)), "agent-status",
                at(1).plusMillis(97), at(1).plusMillis(99), "/netplane/host-agent");

        ConnectTimeline t = ConnectTimeline.of("e1", history.of("e1")).orElseThrow();

        assertThat(t.container()).isEqualTo("web");
        assertThat(t.steps()).extracting(ConnectTimeline.Step::name, ConnectTimeline.Step::millis).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ConnectTimeline.COMMITTED, null),
                org.assertj.core.groups.Tuple.tuple(ConnectTimeline.PUBLISHED, 12L),
                org.assertj.core.groups.Tuple.tuple(ConnectTimeline.RECEIVED, 8L),
                org.assertj.core.groups.Tuple.tuple(ConnectTimeline.APPLIED + "h1", 83L),
                org.assertj.core.groups.Tuple.tuple(ConnectTimeline.REPORTED, 2L));
        assertThat(t.steps().get(3).after()).isEqualTo(ConnectTimeline.PUBLISHED);
    }

    @Test
    void theTimelineNamesTheConnectsTraceAndTheTraceOfEachStep() {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        history.record(webOnFront, "endpoints", at(1), at(1), "/netplane/ipam-service", trace);
        history.record(Made.status(webOnFront, 1, EndpointState.APPLIED, at(2)), "agent-status", at(2), at(2),
                "/netplane/host-agent", "0af7651916cd43dd8448eb211c80319c");

        ConnectTimeline t = ConnectTimeline.of("e1", history.of("e1")).orElseThrow();

        assertThat(t.traceId()).isEqualTo(trace);
        assertThat(t.steps()).extracting(ConnectTimeline.Step::traceId).containsExactly(trace, trace, trace,
                "0af7651916cd43dd8448eb211c80319c", "0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void aConnectNotYetAppliedStopsAtWhatHappenedAndAReportOnAnOlderRevisionDoesNotCount() {
        EndpointAllocated again = new EndpointAllocated("e1", 2, at(5), 1, "c1", "web", "web", "h1", "create",
                "h1-web", "n1", "front", "bridge", "eth0", "02:42:ac:12:00:02", "172.18.0.2/16", null, null, 1500,
                java.util.List.of(), java.util.List.of(), java.util.List.of(), true, false, java.util.List.of(),
                java.util.List.of(), false);
        history.record(webOnFront, "endpoints", at(1), at(1), "/netplane/ipam-service");
        history.record(Made.status(webOnFront, 1, EndpointState.APPLIED, at(2)), "agent-status", at(2), at(2), "a");
        history.record(again, "endpoints", at(6), at(6), "/netplane/ipam-service");

        ConnectTimeline t = ConnectTimeline.of("e1", history.of("e1")).orElseThrow();

        assertThat(t.revision()).isEqualTo(2);
        assertThat(t.steps()).extracting(ConnectTimeline.Step::name)
                .containsExactly(ConnectTimeline.COMMITTED, ConnectTimeline.PUBLISHED, ConnectTimeline.RECEIVED);
        assertThat(ConnectTimeline.of("nope", history.of("nope"))).isEmpty();
    }

    @Test
    void aRefusalIsNamedAsSuch() {
        history.record(webOnFront, "endpoints", at(1), at(1), "/netplane/ipam-service");
        history.record(Made.status(webOnFront, 1, EndpointState.FAILED, at(2)), "agent-status", at(2), at(2), "a");

        assertThat(ConnectTimeline.of("e1", history.of("e1")).orElseThrow().steps())
                .extracting(ConnectTimeline.Step::name).contains(ConnectTimeline.FAILED + "h1");
    }
}
