package io.netplane.agent.support;

import io.netplane.agent.AgentRuntime;
import io.netplane.agent.dns.DnsServiceLink;
import io.netplane.agent.host.HostConfig;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.events.kafka.KafkaClientProperties;
import io.netplane.localcluster.LocalCluster;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One agent per test, as {@code @RegisterExtension final} (an instance field): a fresh host
 * namespace and host id, the agent running in it against the real broker (LocalCluster), and a
 * {@link Broker} to feed it. Everything is stopped and removed after the test, also on failure.
 * Without root the tests are skipped.
 */
public final class AgentLab implements BeforeEachCallback, AfterEachCallback {

    private NamespaceManager manager;
    private Namespaces namespaces;
    private String hostNs;
    private String hostId;
    private AgentRuntime agent;
    private Broker broker;

    @Override
    public void beforeEach(ExtensionContext context) {
        Namespaces.requireRoot();
        manager = new NamespaceManager();
        namespaces = new Namespaces(manager);
        hostNs = namespaces.create("host");
        hostId = namespaces.name("k");
        broker = new Broker(LocalCluster.shared().kafkaBootstrap());
        startAgent();
    }

    /** Starts the agent of this host (again, after {@link #stopAgent}). */
    public AgentRuntime startAgent() {
        return startAgent(null);
    }

    /** The same, its stubs asking {@code dns} (null: none). */
    public AgentRuntime startAgent(DnsServiceLink dns) {
        agent = new AgentRuntime(new HostConfig(hostId, NamespaceManager.pathOf(hostNs), "192.0.2.1", dns),
                KafkaClientProperties.plaintext(LocalCluster.shared().kafkaBootstrap()), Duration.ofSeconds(2), Duration.ofMillis(500));
        return agent;
    }

    public void stopAgent() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    public AgentRuntime agent() {
        return agent;
    }

    public Broker broker() {
        return broker;
    }

    /** The name of the namespace the agent takes for its host. */
    public String hostNs() {
        return hostNs;
    }

    public String hostId() {
        return hostId;
    }

    public Namespaces namespaces() {
        return namespaces;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopAgent();
        if (broker != null) {
            broker.close();
        }
        if (namespaces != null) {
            namespaces.close();
        }
        if (manager != null) {
            manager.close();
        }
    }
}
