package io.netplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.agent.support.AgentLab;
import io.netplane.agent.support.Broker;
import io.netplane.agent.support.Events;
import io.netplane.agent.support.Namespaces;
import io.netplane.agent.support.Shell;
import io.netplane.events.ContainerCreated;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointStatus;
import io.netplane.events.HostHeartbeat;
import io.netplane.events.HostLeft;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.NetworkCreated;
import io.netplane.events.Topic;
import io.netplane.events.kafka.EventRecords;
import io.netplane.events.model.EndpointState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The agent fed real events through the real broker (LocalCluster), in a host namespace the test makes. */
class AgentKafkaTest {

    private static final Duration PATIENCE = Broker.PATIENCE;

    @RegisterExtension
    final AgentLab lab = new AgentLab();
    private String hostId;
    private Namespaces namespaces;
    private Broker broker;

    @BeforeEach
    void names() {
        hostId = lab.hostId();
        namespaces = lab.namespaces();
        broker = lab.broker();
    }

    private void publish(NetplaneEvent e) {
        broker.publish(e);
    }

    private List<ConsumerRecord<String, byte[]>> awaitRecords(Topic topic,
            Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        return broker.awaitRecords(topic, done);
    }

    private static List<NetplaneEvent> decoded(List<ConsumerRecord<String, byte[]>> records) {
        return Broker.decoded(records);
    }

    @Test
    void eventsThroughTheBrokerBecomeAPingableBridgeNetworkWithReports() throws Exception {
        NetworkCreated net = Events.bridgeNetwork(Events.hexId(), "my-bridge", "172.18.0.0/16", "172.18.0.1");
        ContainerCreated c1 = Events.container(Events.hexId(), "test1", hostId);
        ContainerCreated c2 = Events.container(Events.hexId(), "test2", hostId);
        namespaces.adopt(c1.sandboxName());
        namespaces.adopt(c2.sandboxName());
        EndpointAllocated e1 = Events.endpoint(Events.hexId(), 1, c1, net, "eth0", "172.18.0.2/16", "02:42:ac:12:00:02",
                1500, List.of());
        EndpointAllocated e2 = Events.endpoint(Events.hexId(), 1, c2, net, "eth0", "172.18.0.3/16", "02:42:ac:12:00:03",
                1500, List.of());
        ContainerCreated elsewhere = Events.container(Events.hexId(), "other", "some-other-host");
        for (NetplaneEvent e : List.of(net, c1, c2, e1, e2, elsewhere)) {
            publish(e);
        }

        // Other tests' agents report on the same topic: wait for this host's two endpoints.
        Set<String> mine = Set.of(e1.endpointId(), e2.endpointId());
        List<NetplaneEvent> statuses = decoded(awaitRecords(Topic.AGENT_STATUS, seen -> decoded(seen).stream()
                .filter(e -> e instanceof EndpointStatus s && s.hostId().equals(hostId)
                        && s.state() == EndpointState.APPLIED)
                .map(e -> ((EndpointStatus) e).endpointId()).collect(Collectors.toSet()).containsAll(mine)));
        assertThat(statuses).filteredOn(e -> e instanceof EndpointStatus s && s.hostId().equals(hostId))
                .extracting(e -> ((EndpointStatus) e).endpointId())
                .contains(e1.endpointId(), e2.endpointId());
        assertThat(Shell.ping(c1.sandboxName(), "172.18.0.3")).isTrue();
        assertThat(Shell.must("ip", "netns", "list")).doesNotContain("some-other-host-other");

        broker.send(new ProducerRecord<>(Topic.ENDPOINTS.topicName(), "broken",
                "{not json".getBytes(StandardCharsets.UTF_8)));
        List<ConsumerRecord<String, byte[]>> dead = awaitRecords(Topic.DEAD_LETTER,
                seen -> seen.stream().anyMatch(r -> "broken".equals(r.key())));
        ConsumerRecord<String, byte[]> letter = dead.stream().filter(r -> "broken".equals(r.key())).findFirst()
                .orElseThrow();
        assertThat(EventRecords.header(letter.headers(), EventRecords.DLQ_REASON)).isNotBlank();

        // the agent goes on after the bad record: a released endpoint is torn down and reported
        publish(Events.released(e2, 2));
        List<NetplaneEvent> after = decoded(awaitRecords(Topic.AGENT_STATUS, seen -> decoded(seen).stream()
                .anyMatch(e -> e instanceof EndpointStatus s && s.endpointId().equals(e2.endpointId())
                        && s.state() == EndpointState.REMOVED)));
        assertThat(after).anyMatch(e -> e instanceof EndpointStatus s && s.endpointId().equals(e2.endpointId())
                && s.state() == EndpointState.REMOVED && s.endpointRevision() == 2);
        assertThat(Shell.ping(c1.sandboxName(), "172.18.0.3")).isFalse();
    }

    @Test
    void hostRegistersWithHeartbeatsAndSaysGoodbye() {
        List<NetplaneEvent> beats = decoded(awaitRecords(Topic.HOSTS, seen -> decoded(seen).stream()
                .filter(e -> e instanceof HostHeartbeat h && h.hostId().equals(hostId)).count() >= 2));
        List<HostHeartbeat> mine = beats.stream().filter(e -> e instanceof HostHeartbeat h && h.hostId().equals(hostId))
                .map(e -> (HostHeartbeat) e).toList();
        assertThat(mine).hasSizeGreaterThanOrEqualTo(2);
        assertThat(mine.get(0).underlayAddress()).isEqualTo("192.0.2.1");
        assertThat(mine.get(1).revision()).isGreaterThan(mine.get(0).revision());

        lab.stopAgent();
        List<NetplaneEvent> all = decoded(awaitRecords(Topic.HOSTS,
                seen -> decoded(seen).stream().anyMatch(e -> e instanceof HostLeft l && l.hostId().equals(hostId))));
        assertThat(all).anyMatch(e -> e instanceof HostLeft l && l.hostId().equals(hostId));
    }

    @Test
    void agentStoppedAndStartedAgainConvergesWithoutRecreatingLinks() throws Exception {
        NetworkCreated net = Events.bridgeNetwork(Events.hexId(), "restart-net", "172.19.0.0/16", "172.19.0.1");
        ContainerCreated c1 = Events.container(Events.hexId(), "r1", hostId);
        namespaces.adopt(c1.sandboxName());
        EndpointAllocated e1 = Events.endpoint(Events.hexId(), 1, c1, net, "eth0", "172.19.0.2/16", "02:42:ac:13:00:02",
                1500, List.of());
        for (NetplaneEvent e : List.of(net, c1, e1)) {
            publish(e);
        }
        awaitRecords(Topic.AGENT_STATUS, seen -> decoded(seen).stream()
                .anyMatch(e -> e instanceof EndpointStatus s && s.endpointId().equals(e1.endpointId())
                        && s.state() == EndpointState.APPLIED));
        String hostNs = lab.hostNs();
        int bridge = ifindex(hostNs, net.bridgeName());
        int eth0 = ifindex(c1.sandboxName(), "eth0");
        lab.stopAgent();

        AgentRuntime agent = lab.startAgent();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(agent.ready()).as("restarted agent ready").isTrue());
        assertThat(ifindex(hostNs, net.bridgeName())).isEqualTo(bridge);
        assertThat(ifindex(c1.sandboxName(), "eth0")).isEqualTo(eth0);
        assertThat(Shell.ping(c1.sandboxName(), "172.19.0.1")).isTrue();
    }

    private static int ifindex(String ns, String dev) {
        return Shell.json("ip", "-n", ns, "-j", "link", "show", "dev", dev).get(0).get("ifindex").asInt();
    }
}
