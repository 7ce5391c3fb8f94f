package io.netplane.dns.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.dns.resolve.Asker;
import io.netplane.dns.resolve.NameResolver;
import io.netplane.dns.support.Events;
import io.netplane.dns.support.Events.Endpoint;
import io.netplane.events.DnsIdentity;
import io.netplane.events.NetworkCreated;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lookup rules on a view built in memory (unit test of the view and the resolver). */
class NameResolverTest {

    private final NetworkCreated net = Events.network(Events.newId(), "a.b", "bridge", "local");
    private final ViewState state = new ViewState();

    private List<String> resolve(Endpoint asker, String name) {
        View view = state.snapshot();
        Asker a = Asker.identify(view, asker.containerId, null);
        return NameResolver.addresses(NameResolver.resolve(view, a, name), false).stream()
                .map(InetAddress::getHostAddress).toList();
    }

    @Test
    void dottedNetworkNamesAreSplitFromTheRight() {
        Endpoint web = new Endpoint("x.y", net, "172.18.0.2/16");
        Endpoint client = new Endpoint("client", net, "172.18.0.3/16");
        state.apply(net);
        state.apply(web.allocated());
        state.apply(client.allocated());
        assertThat(resolve(client, "x.y")).containsExactly("172.18.0.2");
        assertThat(resolve(client, "x.y.a.b")).containsExactly("172.18.0.2");
        assertThat(resolve(client, "x.y.a")).isEmpty();
    }

    @Test
    void staleAndDuplicateEventsChangeNothing() {
        Endpoint web = new Endpoint("web", net, "172.18.0.2/16");
        Endpoint client = new Endpoint("client", net, "172.18.0.3/16");
        var allocated = web.allocated();
        var released = web.released();
        state.apply(net);
        state.apply(client.allocated());
        assertThat(state.apply(allocated)).isTrue();
        assertThat(state.apply(released)).isTrue();
        assertThat(state.apply(allocated)).as("redelivered older allocation").isFalse();
        assertThat(resolve(client, "web")).isEmpty();
    }

    @Test
    void removedNetworkTakesItsNamesAndTombstonesForgetEndpoints() {
        Endpoint web = new Endpoint("web", net, "172.18.0.2/16");
        Endpoint client = new Endpoint("client", net, "172.18.0.3/16");
        state.apply(net);
        state.apply(web.allocated());
        state.apply(client.allocated());
        assertThat(state.forget(web.endpointId)).isTrue();
        assertThat(resolve(client, "web")).isEmpty();
        state.apply(new io.netplane.events.NetworkRemoved(net.networkId(), Events.revision(), java.time.Instant.now(),
                1, net.name()));
        assertThat(state.snapshot().endpointsOf(client.containerId)).isEmpty();
    }

    @Test
    void ambiguousSourceAddressSeesNoNames() {
        Endpoint h1 = new Endpoint("one", net, "172.18.0.5/16").on("h1");
        Endpoint h2 = new Endpoint("two", net, "172.18.0.5/16").on("h2");
        state.apply(net);
        state.apply(h1.allocated());
        state.apply(h2.allocated());
        Asker asker = Asker.identify(state.snapshot(), null, address("172.18.0.5"));
        assertThat(asker).isNotNull();
        assertThat(asker.endpoints()).isEmpty();
        assertThat(Asker.identify(state.snapshot(), null, address("172.18.0.6"))).isNull();
    }

    @Test
    void aHostsIdentitySeesNoNamesWhileAMalformedOneIsNobody() {
        Endpoint web = new Endpoint("web", net, "172.18.0.2/16");
        state.apply(net);
        state.apply(web.allocated());
        Asker host = Asker.identify(state.snapshot(), DnsIdentity.host("h1"), address("172.18.0.2"));
        assertThat(host).as("even from a container's address").isNotNull();
        assertThat(host.endpoints()).isEmpty();
        assertThat(NameResolver.resolve(state.snapshot(), host, "web")).isEmpty();
        assertThat(NameResolver.reverse(state.snapshot(), host, address("172.18.0.2"))).isNull();
        assertThat(Asker.identify(state.snapshot(), "host:", null)).isNull();
        assertThat(Asker.identify(state.snapshot(), "host:a/b", null)).isNull();
    }

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
