package io.netplane.agent.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.agent.reconcile.DesiredStateStore;
import io.netplane.agent.support.Events;
import io.netplane.events.ContainerCreated;
import io.netplane.events.DnsIdentity;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.Names;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which container the host's stub asks as, from the agent's desired state: only a Docker
 * container of this host that alone holds the source address; for any other source, the host.
 */
class DockerAskersTest {

    private static final String HOST = "h1";
    private final DesiredStateStore store = new DesiredStateStore(HOST);
    private final DockerAskers askers = new DockerAskers(HOST, store::snapshot);
    private final String network = Events.hexId();

    static ContainerCreated container(String hostId, String name, String sandbox) {
        return new ContainerCreated(Events.hexId(), 1, Instant.now(), ContainerCreated.SCHEMA_VERSION, name,
                Names.shortId(name), hostId, sandbox, Names.CREATE_SANDBOX.equals(sandbox)
                        ? Names.sandboxName(hostId, name) : null, "default", List.of(), List.of(), false,
                Instant.now());
    }

    static EndpointAllocated endpoint(ContainerCreated c, String networkId, String cidr) {
        return Events.endpoint(Events.hexId(), 1, c, networkId, "net", "bridge", "eth0", cidr, null,
                "02:42:0a:4d:00:02", 1500, List.of());
    }

    private ContainerCreated docker(String name, String... cidrs) {
        ContainerCreated c = container(HOST, name, Names.RUNTIME_SANDBOX);
        store.apply(c);
        for (String cidr : cidrs) {
            store.apply(endpoint(c, Events.hexId(), cidr));
        }
        return c;
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void aDockerContainerIsKnownByEachOfItsAddressesAndNobodyElse() {
        ContainerCreated c = docker("web", "10.77.1.2/24", "10.88.0.5/16");
        assertThat(askers.containerAt(ip("10.77.1.2"))).isEqualTo(c.containerId());
        assertThat(askers.containerAt(ip("10.88.0.5"))).isEqualTo(c.containerId());
        assertThat(askers.containerAt(ip("10.77.1.3"))).isNull();
        assertThat(askers.containerAt(ip("10.77.1.1"))).as("the gateway, i.e. the host").isNull();
        assertThat(askers.containerAt(ip("fd00::2"))).isNull();
    }

    @Test
    void aContainerNetplaneMadeTheSandboxOfIsNotAskedAs() {
        ContainerCreated c = container(HOST, "own", Names.CREATE_SANDBOX);
        store.apply(c);
        store.apply(endpoint(c, network, "10.77.1.4/24"));
        assertThat(askers.containerAt(ip("10.77.1.4"))).isNull();
    }

    @Test
    void anEndpointWhoseContainerIsNotYetKnownGoesByItsOwnSandbox() {
        ContainerCreated c = container(HOST, "early", Names.RUNTIME_SANDBOX);
        store.apply(endpoint(c, network, "10.77.1.6/24"));
        assertThat(askers.containerAt(ip("10.77.1.6"))).isEqualTo(c.containerId());
    }

    @Test
    void twoContainersAtOneAddressAreNobody() {
        docker("a", "10.77.1.7/24");
        docker("b", "10.77.1.7/24");
        assertThat(askers.containerAt(ip("10.77.1.7"))).isNull();
    }

    @Test
    void aReleasedEndpointAndAnotherHostsAreNobody() {
        ContainerCreated c = docker("gone");
        EndpointAllocated e = endpoint(c, network, "10.77.1.8/24");
        store.apply(e);
        assertThat(askers.containerAt(ip("10.77.1.8"))).isEqualTo(c.containerId());
        store.apply(Events.released(e, 2));
        assertThat(askers.containerAt(ip("10.77.1.8"))).isNull();

        ContainerCreated elsewhere = container("h2", "far", Names.RUNTIME_SANDBOX);
        store.apply(elsewhere);
        store.apply(endpoint(elsewhere, network, "10.77.1.9/24"));
        assertThat(askers.containerAt(ip("10.77.1.9"))).isNull();
    }

    @Test
    void aSourceThatIsNoDockerContainerOfThisHostIsAskedForAsTheHost() {
        ContainerCreated web = docker("web", "10.77.1.2/24");
        ContainerCreated own = container(HOST, "own", Names.CREATE_SANDBOX);
        store.apply(own);
        store.apply(endpoint(own, network, "10.77.1.4/24"));
        docker("a", "10.77.1.7/24");
        docker("b", "10.77.1.7/24");
        String host = DnsIdentity.host(HOST);

        assertThat(askers.askerAt(ip("10.77.1.2"))).isEqualTo(web.containerId());
        assertThat(askers.askerAt(ip("10.77.1.1"))).as("the host itself").isEqualTo(host);
        assertThat(askers.askerAt(ip("172.17.0.2"))).as("on one of Docker's own bridges").isEqualTo(host);
        assertThat(askers.askerAt(ip("10.77.1.4"))).as("netplane made its sandbox").isEqualTo(host);
        assertThat(askers.askerAt(ip("10.77.1.7"))).as("two containers at one address").isEqualTo(host);
        assertThat(askers.askerAt(ip("fd00::2"))).isEqualTo(host);
    }

    @Test
    void aHostIdThatIsNoneIsRefusedAtOnce() {
        assertThatThrownBy(() -> new DockerAskers("h1/../x", store::snapshot)).hasMessageContaining("invalid host id");
    }
}
