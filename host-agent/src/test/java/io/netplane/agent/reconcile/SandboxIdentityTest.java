package io.netplane.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.agent.firewall.Firewall;
import io.netplane.agent.firewall.IptablesRunner;
import io.netplane.agent.host.HostConfig;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.sandbox.SandboxFiles;
import io.netplane.agent.support.Events;
import io.netplane.agent.support.NamespaceLab;
import io.netplane.agent.support.Shell;
import io.netplane.events.ContainerCreated;
import io.netplane.events.ContainerRemoved;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.Names;
import io.netplane.events.NetworkCreated;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a sandbox the agent makes looks like from inside, as in Docker: its own hostname (UTS
 * namespace), and nothing left on removal.
 */
class SandboxIdentityTest {

    @RegisterExtension
    static final NamespaceLab LAB = new NamespaceLab();
    private HostConfig config;
    private DesiredStateStore store;
    private Reconciler reconciler;

    @BeforeEach
    void setUp() {
        String hostNs = LAB.namespaces().create("host");
        config = new HostConfig(LAB.namespaces().name("h"), NamespaceManager.pathOf(hostNs), "192.0.2.1", null);
        store = new DesiredStateStore(config.hostId());
        reconciler = newReconciler();
    }

    private Reconciler newReconciler() {
        return new Reconciler(config, LAB.manager(), new SandboxFiles(), new Firewall(new IptablesRunner(30)));
    }

    @AfterEach
    void tearDown() {
        reconciler.close();
    }

    private ContainerCreated container(String name, String hostname, String networkMode) {
        ContainerCreated c = new ContainerCreated(Events.hexId(), 1, Instant.now(), ContainerCreated.SCHEMA_VERSION,
                name, hostname, config.hostId(), "create", Names.sandboxName(config.hostId(), name), networkMode,
                List.of(), List.of(), false, Instant.now());
        LAB.namespaces().adopt(c.sandboxName());
        store.apply(c);
        return c;
    }

    private EndpointAllocated join(ContainerCreated c, NetworkCreated net, String cidr) {
        EndpointAllocated e = Events.endpoint(Events.hexId(), 1, c, net, "eth0", cidr, null, 1500, List.of());
        store.apply(e);
        return e;
    }

    private static String insideSandbox(ContainerCreated c, String... command) {
        String[] nsenter = {"nsenter", "--net=" + NamespaceManager.pathOf(c.sandboxName()),
                "--uts=" + NamespaceManager.utsPathOf(c.sandboxName())};
        String[] all = new String[nsenter.length + command.length];
        System.arraycopy(nsenter, 0, all, 0, nsenter.length);
        System.arraycopy(command, 0, all, nsenter.length, command.length);
        return Shell.must(all).trim();
    }

    @Test
    void hostnameInsideIsTheContainersOrItsShortId() {
        NetworkCreated user = Events.bridgeNetwork(Events.hexId(), "my-bridge", "172.18.0.0/16", "172.18.0.1");
        NetworkCreated bridge = Events.bridgeNetwork(Events.hexId(), Names.BRIDGE_NETWORK, "172.17.0.0/16",
                "172.17.0.1");
        store.apply(user);
        store.apply(bridge);
        ContainerCreated web = container("web", "web.example", "my-bridge");
        join(web, user, "172.18.0.2/16");
        ContainerCreated plain = container("plain", null, "default");
        join(plain, bridge, "172.17.0.2/16");
        ContainerCreated isolated = container("isolated", "", Names.NONE_NETWORK);

        reconciler.reconcile(store.snapshot());

        assertThat(insideSandbox(web, "hostname")).isEqualTo("web.example");
        assertThat(insideSandbox(plain, "hostname")).isEqualTo(Names.shortId(plain.containerId()));
        assertThat(insideSandbox(isolated, "hostname")).isEqualTo(Names.shortId(isolated.containerId()));
        assertThat(Shell.must("hostname").trim()).isNotEqualTo("web.example");
    }

    @Test
    void aRestartedAgentKeepsTheUtsNamespaceAndRemovalLeavesNoMountOrFile() {
        ContainerCreated c = container("gone", null, Names.NONE_NETWORK);
        reconciler.reconcile(store.snapshot());
        String uts = insideSandbox(c, "readlink", "/proc/self/ns/uts");

        reconciler.close();
        reconciler = newReconciler();
        reconciler.reconcile(store.snapshot());
        assertThat(insideSandbox(c, "readlink", "/proc/self/ns/uts")).isEqualTo(uts);

        store.apply(new ContainerRemoved(c.containerId(), 2, Instant.now(), 1, c.name(), c.hostId(), c.sandboxName()));
        reconciler.reconcile(store.snapshot());

        Path utsFile = NamespaceManager.utsPathOf(c.sandboxName());
        assertThat(utsFile).doesNotExist();
        assertThat(NamespaceManager.pathOf(c.sandboxName())).doesNotExist();
        assertThat(Shell.must("cat", "/proc/self/mountinfo")).doesNotContain(utsFile.toString())
                .doesNotContain(" " + NamespaceManager.pathOf(c.sandboxName()) + " ");
        assertThat(Files.exists(SandboxFiles.ETC_NETNS.resolve(c.sandboxName()))).isFalse();
    }
}
