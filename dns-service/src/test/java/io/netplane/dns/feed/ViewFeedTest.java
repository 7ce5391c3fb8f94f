package io.netplane.dns.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.dns.support.Broker;
import io.netplane.dns.support.Events;
import io.netplane.dns.support.Events.Endpoint;
import io.netplane.dns.view.EndpointEntry;
import io.netplane.dns.view.View;
import io.netplane.events.NetworkCreated;
import io.netplane.events.kafka.KafkaClientProperties;
import io.netplane.localcluster.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The view is rebuilt from the real topics at start and kept current, also across a broker outage. */
class ViewFeedTest {

    private static boolean holdsAll(View view, List<Endpoint> endpoints) {
        List<String> held = view.endpoints().stream().map(EndpointEntry::endpointId).toList();
        return endpoints.stream().allMatch(e -> held.contains(e.endpointId));
    }

    @Test
    void aNewFeedRebuildsEverythingPublishedBeforeItStartedBeforeSayingCaughtUp() {
        NetworkCreated net = Events.network(Events.newId(), "rebuild", "bridge", "local");
        Broker.publish(net);
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Endpoint e = new Endpoint("c" + i, net, "172.30." + (i / 250) + "." + (i % 250 + 2) + "/16");
            endpoints.add(e);
            Broker.publish(e.allocated());
        }
        Broker.publish(endpoints.get(7).released());

        AtomicReference<View> latest = new AtomicReference<>(View.EMPTY);
        try (ViewFeed feed = new ViewFeed(KafkaClientProperties.plaintext(LocalCluster.shared().kafkaBootstrap()), latest::set).start()) {
            await().atMost(Duration.ofSeconds(60)).until(feed::caughtUp);
            View view = latest.get();
            assertThat(holdsAll(view, endpoints.subList(8, 200))).isTrue();
            assertThat(holdsAll(view, List.of(endpoints.get(7)))).as("released before start").isFalse();
        }
    }

    @Test
    void keepsFollowingAfterTheBrokerComesBack() {
        AtomicReference<View> latest = new AtomicReference<>(View.EMPTY);
        NetworkCreated net = Events.network(Events.newId(), "outage", "bridge", "local");
        Broker.publish(net);
        try (ViewFeed feed = new ViewFeed(KafkaClientProperties.plaintext(LocalCluster.shared().kafkaBootstrap()), latest::set).start()) {
            await().atMost(Duration.ofSeconds(60)).until(feed::caughtUp);
            LocalCluster.shared().stopKafka();
            LocalCluster.shared().startKafka();
            Endpoint after = new Endpoint("after", net, "172.31.0.2/16");
            Broker.publish(after.allocated());
            await().atMost(Duration.ofSeconds(120)).until(() -> holdsAll(latest.get(), List.of(after)));
        }
    }
}
