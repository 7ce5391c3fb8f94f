package io.netplane.console.history;

import static io.netplane.console.support.Made.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.console.support.Made;
import io.netplane.console.view.TopologyView;
import io.netplane.events.ContainerCreated;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.NetworkCreated;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {

    private final History history = new History(1000);
    private final NetworkCreated front = Made.network("n1", "front", "172.18.0.0/16", at(1));
    private final NetworkCreated back = Made.network("n2", "back", "172.19.0.0/16", at(2));
    private final ContainerCreated web = Made.container("c1", "web", "h1", at(10));
    private final EndpointAllocated webOnFront = Made.endpoint("e1", web, front, "172.18.0.2/16", at(10));
    private final ContainerCreated db = Made.container("c2", "db", "h2", at(15));
    private final EndpointAllocated dbOnBack = Made.endpoint("e2", db, back, "172.19.0.2/16", at(15));

    private void record(NetplaneEvent... events) {
        for (NetplaneEvent e : events) {
            history.record(e, "topic", e.time(), e.time(), "/netplane/test");
        }
    }

    private static List<String> containers(TopologyView view) {
        return view.endpoints().stream().map(TopologyView.EndpointRow::container).toList();
    }

    @Test
    void thePastIsRebuiltFromTheChangesMadeUntilThen() {
        record(front, back, web, webOnFront, db, dbOnBack, Made.released(webOnFront, at(20)),
                Made.containerRemoved(web, at(20)));

        assertThat(containers(TopologyView.of(history.now(), at(30), true))).containsExactly("db");
        assertThat(containers(TopologyView.of(history.at(at(12)), at(12), false))).containsExactly("web");
        assertThat(containers(TopologyView.of(history.at(at(17)), at(17), false))).containsExactly("db", "web");
        assertThat(TopologyView.of(history.at(at(1)), at(1), false).networks())
                .extracting(TopologyView.NetworkRow::name).containsExactly("front");
        assertThat(TopologyView.of(history.at(at(0)), at(0), false).networks()).isEmpty();
    }

    @Test
    void aMomentIsInclusiveOfTheChangesMadeExactlyThen() {
        record(front, web, webOnFront);

        assertThat(containers(TopologyView.of(history.at(at(10)), at(10), false))).containsExactly("web");
        assertThat(containers(TopologyView.of(history.at(at(10).minusMillis(1)), at(10), false))).isEmpty();
    }

    @Test
    void aHistoryOverCapacityForgetsTheOldestChangesButKeepsThePresentAndTheRecentPast() {
        History small = new History(3);
        for (NetplaneEvent e : List.of(front, back, web, webOnFront, db, dbOnBack)) {
            small.record(e, "topic", e.time(), e.time(), "/netplane/test");
        }

        assertThat(small.size()).isEqualTo(3);
        assertThat(small.forgottenUntil()).contains(at(10));
        assertThat(TopologyView.of(small.now(), at(30), true).networks()).extracting(TopologyView.NetworkRow::name)
                .containsExactly("back", "front");
        assertThat(containers(TopologyView.of(small.at(at(12)), at(12), false))).containsExactly("web");
        assertThatThrownBy(() -> new History(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void heartbeatsKeepHealthCurrentButOnlyAJoinOrAChangeEntersTheHistory() {
        for (int beat = 1; beat <= 10; beat++) {
            record(Made.heartbeat("h1", beat, at(beat * 3L)));
        }
        assertThat(history.size()).isEqualTo(1);
        assertThat(TopologyView.of(history.now(), at(31), true).hosts())
                .extracting(TopologyView.HostRow::health).containsExactly("up");
        assertThat(TopologyView.of(history.now(), at(30 + 16), true).hosts())
                .extracting(TopologyView.HostRow::health).containsExactly("silent");

        record(Made.left("h1", 11, at(33)));
        assertThat(TopologyView.of(history.now(), at(34), true).hosts())
                .extracting(TopologyView.HostRow::health).containsExactly("left");
        record(Made.heartbeat("h1", 12, at(40)));
        assertThat(history.newest(c -> true, 10)).extracting(c -> Describe.of(c.event()))
                .containsExactly("host h1 joined (underlay 192.0.2.1)", "host h1 left",
                        "host h1 joined (underlay 192.0.2.1)");
        assertThat(TopologyView.of(history.at(at(35)), at(35), false).hosts())
                .extracting(TopologyView.HostRow::health).containsExactly("left");
    }

    @Test
    void theTimelineFiltersByNetworkContainerOrHostByNameOrId() {
        record(front, back, web, webOnFront, db, dbOnBack, Made.released(webOnFront, at(20)));

        assertThat(history.newest(c -> c.subjects().matches("front", null, null), 100))
                .extracting(c -> c.event().aggregateId()).containsExactly("e1", "e1", "n1");
        assertThat(history.newest(c -> c.subjects().matches(null, "c2", null), 100))
                .extracting(c -> c.event().aggregateId()).containsExactly("e2", "c2");
        assertThat(history.newest(c -> c.subjects().matches(null, null, "h1"), 100))
                .extracting(c -> c.event().aggregateId()).containsExactly("e1", "e1", "c1");
        assertThat(history.newest(c -> c.subjects().matches("back", "web", null), 100)).isEmpty();
        assertThat(history.newest(c -> true, 2)).extracting(Change::seq).containsExactly(7L, 6L);
    }

    @Test
    void listenersHearEveryEventHeartbeatsIncluded() {
        int[] heard = {0};
        history.onChange(() -> heard[0]++);
        record(front, Made.heartbeat("h1", 1, Instant.now()), Made.heartbeat("h1", 2, Instant.now()));

        assertThat(heard[0]).isEqualTo(3);
    }
}
