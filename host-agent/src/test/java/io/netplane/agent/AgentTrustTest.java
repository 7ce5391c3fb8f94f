package io.netplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.reconcile.Ownership;
import io.netplane.agent.support.AgentLab;
import io.netplane.agent.support.Broker;
import io.netplane.agent.support.Events;
import io.netplane.agent.support.GoldenRulesets;
import io.netplane.agent.support.GoldenRulesets.Golden;
import io.netplane.agent.support.Shell;
import io.netplane.events.ContainerCreated;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointStatus;
import io.netplane.events.NatRuleset;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.NetworkCreated;
import io.netplane.events.Topic;
import io.netplane.events.kafka.EventRecords;
import io.netplane.events.model.EndpointState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent fed hostile records through the real broker, in a host namespace the test makes: each
 * is dead-lettered with its reason and changes nothing on the host, and the agent goes on applying
 * valid records after them.
 */
class AgentTrustTest {

    @RegisterExtension
    final AgentLab lab = new AgentLab();

    private String save() {
        return Shell.must("ip", "netns", "exec", lab.hostNs(), "iptables-save").lines()
                .filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n", "", "\n"));
    }

    private NatRuleset ruleset(long revision, String document, List<String> jumps) {
        return new NatRuleset(lab.hostId(), revision, Instant.now(), NatRuleset.SCHEMA_VERSION, document, List.of(),
                jumps);
    }

    /** The dead letters of this test's records: key to reason. */
    private List<String> deadLetterReasons(Set<String> keys, int atLeast) {
        List<ConsumerRecord<String, byte[]>> letters = lab.broker().awaitRecords(Topic.DEAD_LETTER,
                seen -> seen.stream().filter(r -> keys.contains(r.key())).count() >= atLeast);
        return letters.stream().filter(r -> keys.contains(r.key()))
                .map(r -> EventRecords.header(r.headers(), EventRecords.DLQ_REASON)).toList();
    }

    @Test
    void hostileRulesetsAreDeadLetteredAndLeaveTheHostsRulesByteForByteAsTheyWere() {
        String ns = lab.hostNs();
        // someone else's rules, in the chains a hostile document would aim at
        Shell.must("ip", "netns", "exec", ns, "iptables", "-A", "INPUT", "-s", "10.9.9.0/24", "-j", "DROP");
        Shell.must("ip", "netns", "exec", ns, "iptables", "-A", "FORWARD", "-s", "10.9.9.0/24", "-j", "DROP");
        Shell.must("ip", "netns", "exec", ns, "iptables", "-t", "nat", "-A", "POSTROUTING", "-s", "10.9.9.0/24",
                "-j", "MASQUERADE");
        Golden good = GoldenRulesets.named("publish-8080-80");
        lab.broker().publish(ruleset(1, good.document(), good.jumps()));
        await().atMost(Broker.PATIENCE).until(() -> save().contains("-A FORWARD -j NETPLANE-FORWARD")
                && save().contains("--to-destination 172.18.0.2:80"));
        String before = save();

        String filter = "*filter\n:NETPLANE-FORWARD - [0:0]\n";
        List<NatRuleset> hostile = List.of(
                ruleset(2, filter + "-F FORWARD\nCOMMIT\n", good.jumps()),
                ruleset(3, filter + "-A INPUT -j ACCEPT\nCOMMIT\n", good.jumps()),
                ruleset(4, "*raw\n:NETPLANE - [0:0]\n-A NETPLANE -j ACCEPT\nCOMMIT\n", good.jumps()),
                ruleset(5, good.document().replace("br-aaaaaaaaaaaa", "br-a\n-F FORWARD"), good.jumps()),
                ruleset(6, good.document().replace("172.18.0.2:80", "evil.example:80"), good.jumps()),
                ruleset(7, good.document(), List.of("filter INPUT -j ACCEPT")));
        hostile.forEach(lab.broker()::publish);

        await().atMost(Broker.PATIENCE).until(() -> lab.agent().refusedRecords() >= hostile.size());
        assertThat(save()).isEqualTo(before);
        List<String> reasons = deadLetterReasons(Set.of(lab.hostId()), hostile.size());
        assertThat(reasons).hasSize(hostile.size()).anyMatch(r -> r.contains("-F FORWARD"))
                .anyMatch(r -> r.contains("chain INPUT is not netplane's"))
                .anyMatch(r -> r.contains("table raw is not one netplane uses"))
                .anyMatch(r -> r.contains("not an IPv4 address and port"))
                .anyMatch(r -> r.contains("not from INPUT"));

        // a valid document after them still applies, and someone else's rules stay
        Golden next = GoldenRulesets.named("two-networks");
        lab.broker().publish(ruleset(8, next.document(), next.jumps()));
        await().atMost(Broker.PATIENCE).until(() -> save().contains("--to-destination 172.22.0.3:80"));
        assertThat(withoutNetplane(save())).isEqualTo(withoutNetplane(before));
    }

    private static String withoutNetplane(String saved) {
        return saved.lines().filter(l -> !l.contains("NETPLANE")).collect(Collectors.joining("\n"));
    }

    @Test
    void aSandboxPathOutsideTheNamespaceDirectoriesIsRefusedAndNeverEntered() throws Exception {
        String victim = lab.namespaces().create("victim");
        Path outside = Files.createTempFile("netplane-victim", ".ns");
        Shell.must("mount", "--bind", NamespaceManager.pathOf(victim).toString(), outside.toString());
        try {
            NetworkCreated net = Events.bridgeNetwork(Events.hexId(), "trust-net", "172.23.0.0/16", "172.23.0.1");
            String id = Events.hexId();
            ContainerCreated evil = new ContainerCreated(id, 1, Instant.now(), ContainerCreated.SCHEMA_VERSION, "evil",
                    "evil", lab.hostId(), outside.toString(), null, "default", List.of(), List.of(), false,
                    Instant.now());
            EndpointAllocated evilEndpoint = Events.endpoint(Events.hexId(), 1, evil, net, "eth0", "172.23.0.2/16",
                    "02:42:ac:17:00:02", 1500, List.of());
            for (NetplaneEvent e : List.of(net, evil, evilEndpoint)) {
                lab.broker().publish(e);
            }
            await().atMost(Broker.PATIENCE).until(() -> lab.agent().refusedRecords() >= 2);

            // a valid container after them is wired: a pass ran after the refused records were read
            ContainerCreated fine = Events.container(Events.hexId(), "fine", lab.hostId());
            lab.namespaces().adopt(fine.sandboxName());
            EndpointAllocated fineEndpoint = Events.endpoint(Events.hexId(), 1, fine, net, "eth0", "172.23.0.3/16",
                    "02:42:ac:17:00:03", 1500, List.of());
            lab.broker().publish(fine);
            lab.broker().publish(fineEndpoint);
            lab.broker().awaitRecords(Topic.AGENT_STATUS, seen -> Broker.decoded(seen).stream()
                    .anyMatch(e -> e instanceof EndpointStatus s && s.endpointId().equals(fineEndpoint.endpointId())
                            && s.state() == EndpointState.APPLIED));

            assertThat(Shell.json("ip", "-n", victim, "-j", "link", "show")).extracting(l -> l.get("ifname").asText())
                    .containsExactly("lo");
            assertThat(Shell.run("ip", "-n", lab.hostNs(), "link", "show", "dev",
                    Ownership.vethName(evilEndpoint.endpointId())).ok()).isFalse();
            assertThat(Shell.ping(fine.sandboxName(), "172.23.0.1")).isTrue();
            assertThat(deadLetterReasons(Set.of(evil.containerId(), evilEndpoint.endpointId()), 2))
                    .hasSize(2).allMatch(r -> r.startsWith("invalid sandbox \"" + outside + "\""));
        } finally {
            Shell.run("umount", outside.toString());
            Files.deleteIfExists(outside);
        }
    }
}
