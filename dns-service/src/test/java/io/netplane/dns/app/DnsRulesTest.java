package io.netplane.dns.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.dns.server.Transport;
import io.netplane.dns.support.Broker;
import io.netplane.dns.support.Dig;
import io.netplane.dns.support.Events;
import io.netplane.dns.support.Events.Endpoint;
import io.netplane.dns.support.FakeUpstream;
import io.netplane.dns.support.TestIdentity;
import io.netplane.dns.support.UpstreamsResource;
import io.netplane.events.DnsIdentity;
import io.netplane.events.NetworkCreated;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Docker's name rules end to end: events published on the real broker, the service's view fed
 * from the real topics, answers read over real UDP and TCP. Each test makes its own networks and
 * containers, so tests do not depend on each other.
 */
@QuarkusTest
@QuarkusTestResource(LocalClusterResource.class)
@QuarkusTestResource(UpstreamsResource.class)
class DnsRulesTest {

    @Inject
    DnsRuntime runtime;

    Dig dig;
    NetworkCreated myBridge;

    @BeforeEach
    void setUp() {
        dig = new Dig(runtime.port());
        myBridge = Events.network(Events.newId(), "my-bridge-" + Events.newId().substring(0, 6), "bridge", "local");
        Broker.publish(myBridge);
    }

    /** Waits until the service's view holds these endpoints: the barrier before asserting answers. */
    private void awaitInView(Endpoint... endpoints) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Set<String> held = new HashSet<>();
            runtime.view().endpoints().forEach(e -> held.add(e.endpointId()));
            return java.util.Arrays.stream(endpoints).allMatch(e -> held.contains(e.endpointId));
        });
    }

    private void awaitNotInView(Endpoint endpoint) {
        await().atMost(Duration.ofSeconds(60)).until(
                () -> runtime.view().endpoints().stream().noneMatch(e -> e.endpointId().equals(endpoint.endpointId)));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void containerResolvesNameNetworkQualifiedNameAliasShortIdAndHostname(Transport transport) throws Exception {
        Endpoint web = new Endpoint("web", myBridge, "172.18.0.2/16").aliases("frontend").hostname("webhost");
        Endpoint client = new Endpoint("client", myBridge, "172.18.0.3/16");
        Broker.publish(web.allocated(), client.allocated());
        awaitInView(web, client);
        Dig asClient = dig.as(client.containerId);

        for (String name : List.of("web", "WEB", "web." + myBridge.name(), "frontend", web.shortId(), "webhost")) {
            Message answer = asClient.a(name, transport);
            assertThat(answer.getRcode()).as(name).isEqualTo(Rcode.NOERROR);
            assertThat(Dig.addresses(answer)).as(name).containsExactly("172.18.0.2");
            assertThat(answer.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(600);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sharedAliasGivesEveryAddressShuffledAndRemovalRemovesOne(Transport transport) throws Exception {
        Endpoint w1 = new Endpoint("app-1", myBridge, "172.18.0.11/16").aliases("web");
        Endpoint w2 = new Endpoint("app-2", myBridge, "172.18.0.12/16").aliases("web");
        Endpoint w3 = new Endpoint("app-3", myBridge, "172.18.0.13/16").aliases("web");
        Endpoint client = new Endpoint("client", myBridge, "172.18.0.3/16");
        Broker.publish(w1.allocated(), w2.allocated(), w3.allocated(), client.allocated());
        awaitInView(w1, w2, w3, client);
        Dig asClient = dig.as(client.containerId);
        assertThat(Dig.addresses(asClient.a("web", transport))).hasSize(3);

        Set<List<String>> orders = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            List<String> addresses = Dig.addresses(asClient.a("web", transport));
            assertThat(addresses).containsExactlyInAnyOrder("172.18.0.11", "172.18.0.12", "172.18.0.13");
            orders.add(addresses);
        }
        assertThat(orders).as("answer orders seen over 60 queries").hasSizeGreaterThan(1);

        Broker.publish(w2.released());
        awaitNotInView(w2);
        assertThat(Dig.addresses(asClient.a("web", transport))).containsExactlyInAnyOrder("172.18.0.11", "172.18.0.13");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void removingAContainerRemovesItsRecords(Transport transport) throws Exception {
        Endpoint db = new Endpoint("db", myBridge, "172.18.0.20/16");
        Endpoint client = new Endpoint("client", myBridge, "172.18.0.3/16");
        Broker.publish(db.allocated(), client.allocated());
        awaitInView(db, client);
        Dig asClient = dig.as(client.containerId);
        assertThat(Dig.addresses(asClient.a("db", transport))).containsExactly("172.18.0.20");

        Broker.publish(db.released());
        awaitNotInView(db);
        assertThat(asClient.a("db", transport).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(asClient.a(db.shortId(), transport).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void ptrGivesNameDotNetworkAndAaaaForV4OnlyNameIsEmptyNoError(Transport transport) throws Exception {
        Endpoint web = new Endpoint("web", myBridge, "172.18.0.2/16");
        Endpoint client = new Endpoint("client", myBridge, "172.18.0.3/16");
        Broker.publish(web.allocated(), client.allocated());
        awaitInView(web, client);
        Dig asClient = dig.as(client.containerId);

        Message ptr = asClient.query("2.0.18.172.in-addr.arpa.", Type.PTR, transport);
        assertThat(ptr.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(ptr.getSection(Section.ANSWER)).extracting(Record::rdataToString)
                .containsExactly("web." + myBridge.name() + ".");

        Message aaaa = asClient.query("web", Type.AAAA, transport);
        assertThat(aaaa.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(aaaa.getSection(Section.ANSWER)).isEmpty();
        Message mx = asClient.query("web", Type.MX, transport);
        assertThat(mx.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(mx.getSection(Section.ANSWER)).isEmpty();
        assertThat(asClient.query("web", Type.TXT, transport).getRcode()).as("other types go upstream")
                .isEqualTo(Rcode.NXDOMAIN);
        assertThat(UpstreamsResource.answering.sawIdentityOption()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void nothingResolvesByNameOnTheDefaultBridge(Transport transport) throws Exception {
        NetworkCreated bridge = Events.network(Events.newId(), "bridge", "bridge", "local");
        Broker.publish(bridge);
        Endpoint test1 = new Endpoint("test1", bridge, "172.17.0.2/16").noNames();
        Endpoint test2 = new Endpoint("test2", bridge, "172.17.0.3/16").noNames();
        Broker.publish(test1.allocated(), test2.allocated());
        awaitInView(test1, test2);

        Message answer = dig.as(test2.containerId).a("test1", transport);
        assertThat(answer.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(dig.as(test2.containerId).a(test1.shortId(), transport).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void linkNameAndAliasResolveOnlyForTheLinkingContainer(Transport transport) throws Exception {
        NetworkCreated bridge = Events.network(Events.newId(), "bridge", "bridge", "local");
        Broker.publish(bridge);
        Endpoint test1 = new Endpoint("test1", bridge, "172.17.0.2/16").noNames();
        Endpoint test2 = new Endpoint("test2", bridge, "172.17.0.3/16").noNames().linkTo(test1, "db");
        Broker.publish(test1.allocated(), test2.allocated());
        awaitInView(test1, test2);
        Dig asTest2 = dig.as(test2.containerId);

        assertThat(Dig.addresses(asTest2.a("db", transport))).containsExactly("172.17.0.2");
        assertThat(Dig.addresses(asTest2.a("test1", transport))).containsExactly("172.17.0.2");
        Dig asTest1 = dig.as(test1.containerId);
        assertThat(asTest1.a("db", transport).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(asTest1.a("test2", transport).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void namesOnNetworksTheAskerIsNotOnDoNotResolve(Transport transport) throws Exception {
        NetworkCreated other = Events.network(Events.newId(), "other-" + Events.newId().substring(0, 6), "bridge",
                "local");
        Broker.publish(other);
        Endpoint hidden = new Endpoint("hidden", other, "172.19.0.2/16");
        Endpoint client = new Endpoint("client", myBridge, "172.18.0.3/16");
        Endpoint both = new Endpoint("both", myBridge, "172.18.0.4/16");
        Endpoint bothOther = new Endpoint("both", other, "172.19.0.4/16").sameContainerAs(both);
        Broker.publish(hidden.allocated(), client.allocated(), both.allocated(), bothOther.allocated());
        awaitInView(hidden, client, both, bothOther);

        assertThat(dig.as(client.containerId).a("hidden", transport).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(dig.as(client.containerId).a("hidden." + other.name(), transport).getRcode())
                .isEqualTo(Rcode.NXDOMAIN);
        assertThat(Dig.addresses(dig.as(both.containerId).a("hidden." + other.name(), transport)))
                .containsExactly("172.19.0.2");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void localNetworksAreSeenOnlyOnTheSameHostOverlayAcrossHosts(Transport transport) throws Exception {
        Endpoint onH1 = new Endpoint("near", myBridge, "172.18.0.30/16").on("h1");
        Endpoint onH2 = new Endpoint("far", myBridge, "172.18.0.31/16").on("h2");
        Endpoint asker = new Endpoint("asker", myBridge, "172.18.0.32/16").on("h1");
        NetworkCreated overlay = Events.network(Events.newId(), "demo-" + Events.newId().substring(0, 6), "overlay",
                "global");
        Broker.publish(overlay);
        Endpoint test1 = new Endpoint("test1", overlay, "10.0.0.2/24").on("h1");
        Endpoint test2 = new Endpoint("test2", overlay, "10.0.0.3/24").on("h2");
        Broker.publish(onH1.allocated(), onH2.allocated(), asker.allocated(), test1.allocated(), test2.allocated());
        awaitInView(onH1, onH2, asker, test1, test2);

        Dig asAsker = dig.as(asker.containerId);
        assertThat(Dig.addresses(asAsker.a("near", transport))).containsExactly("172.18.0.30");
        assertThat(asAsker.a("far", transport).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(Dig.addresses(dig.as(onH2.containerId).a("far", transport))).containsExactly("172.18.0.31");
        assertThat(Dig.addresses(dig.as(test1.containerId).a("test2", transport))).containsExactly("10.0.0.3");
        assertThat(Dig.addresses(dig.as(test2.containerId).a("test1", transport))).containsExactly("10.0.0.2");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void askerKnownBySourceAddressWithoutTheOptionAndStrangersAreRefused(Transport transport) throws Exception {
        String loopbackAddress = "127.0.0." + (10 + (transport.ordinal() * 100) + (int) (Events.revision() % 90));
        Endpoint web = new Endpoint("web", myBridge, "172.18.0.2/16");
        Endpoint byAddress = new Endpoint("byaddr", myBridge, loopbackAddress + "/8");
        Broker.publish(web.allocated(), byAddress.allocated());
        awaitInView(web, byAddress);
        Dig fromContainer = dig.from(loopbackAddress);

        assertThat(Dig.addresses(fromContainer.a("web", transport))).containsExactly("172.18.0.2");
        assertThat(dig.from("127.0.0.1").a("web", transport).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(dig.from("127.0.0.1").a(FakeUpstream.OUTSIDE_NAME, transport).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(dig.as("no-such-container").a("web", transport).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(dig.as("no-such-container").a(FakeUpstream.OUTSIDE_NAME, transport).getRcode())
                .as("an unknown container is no open resolver's client").isEqualTo(Rcode.REFUSED);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anIdentityThatDoesNotProveItsContainerIsRefusedWhoeverKnowsTheId(Transport transport) throws Exception {
        Endpoint web = new Endpoint("web", myBridge, "172.18.0.2/16");
        Endpoint client = new Endpoint("client", myBridge, "172.18.0.3/16");
        Broker.publish(web.allocated(), client.allocated());
        awaitInView(web, client);
        String id = client.containerId;
        assertThat(Dig.addresses(dig.as(id).a("web", transport))).containsExactly("172.18.0.2");
        assertThat(Dig.addresses(dig.as(id).a(FakeUpstream.OUTSIDE_NAME, transport)))
                .containsExactly(FakeUpstream.OUTSIDE_ADDRESS);

        Map<String, IntFunction<byte[]>> forgeries = Map.of(
                "the bare id, no MAC", TestIdentity.bare(id),
                "signed with another key", TestIdentity.signedWithOtherKey(id),
                "signed a minute ago", TestIdentity.stale(id),
                "signed for another query", TestIdentity.forAnotherQuery(id));
        for (var forgery : forgeries.entrySet()) {
            Dig forged = dig.withIdentity(forgery.getValue());
            assertThat(forged.a("web", transport).getRcode()).as(forgery.getKey()).isEqualTo(Rcode.REFUSED);
            assertThat(forged.a(FakeUpstream.OUTSIDE_NAME, transport).getRcode()).as(forgery.getKey())
                    .isEqualTo(Rcode.REFUSED);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSignedHostIdentityHasOutsideNamesResolvedButNoContainersNameAndAForgedOneIsRefused(Transport transport)
            throws Exception {
        NetworkCreated overlay = Events.network(Events.newId(), "ov-" + Events.newId().substring(0, 6), "overlay",
                "global");
        Broker.publish(overlay);
        Endpoint web = new Endpoint("web", myBridge, "172.18.0.2/16").on("h1").aliases("www");
        Endpoint client = new Endpoint("client", myBridge, "172.18.0.3/16").on("h1");
        Endpoint far = new Endpoint("far", overlay, "10.0.0.2/24").on("h2");
        Broker.publish(web.allocated(), client.allocated(), far.allocated());
        awaitInView(web, client, far);
        List<String> containerNames = List.of("web", "www", web.shortId(), "web." + myBridge.name(), "far",
                "far." + overlay.name(), far.shortId());
        assertThat(Dig.addresses(dig.as(client.containerId).a("web", transport))).as("a container's view")
                .containsExactly("172.18.0.2");

        Dig asHost = dig.withIdentity(TestIdentity.host("h1"));
        Message outside = asHost.a(FakeUpstream.OUTSIDE_NAME, transport);
        assertThat(outside.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(Dig.addresses(outside)).containsExactly(FakeUpstream.OUTSIDE_ADDRESS);
        assertThat(UpstreamsResource.answering.sawIdentityOption()).isFalse();
        for (String name : containerNames) {
            Message answer = asHost.a(name, transport);
            assertThat(answer.getRcode()).as(name).isEqualTo(Rcode.NXDOMAIN);
            assertThat(answer.getSection(Section.ANSWER)).as(name).isEmpty();
        }
        assertThat(asHost.query("2.0.18.172.in-addr.arpa.", Type.PTR, transport).getRcode()).as("PTR")
                .isEqualTo(Rcode.NXDOMAIN);

        String host = DnsIdentity.host("h1");
        Map<String, IntFunction<byte[]>> forgeries = Map.of(
                "the bare identity, no MAC", TestIdentity.bare(host),
                "signed with another key", TestIdentity.signedWithOtherKey(host),
                "signed a minute ago", TestIdentity.stale(host),
                "signed for another query", TestIdentity.forAnotherQuery(host));
        for (var forgery : forgeries.entrySet()) {
            Dig forged = dig.withIdentity(forgery.getValue());
            assertThat(forged.a(FakeUpstream.OUTSIDE_NAME, transport).getRcode()).as(forgery.getKey())
                    .isEqualTo(Rcode.REFUSED);
            assertThat(forged.a("web", transport).getRcode()).as(forgery.getKey()).isEqualTo(Rcode.REFUSED);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void outsideNamesAreForwardedPastADeadUpstreamWithoutTheIdentityOption(Transport transport) throws Exception {
        Endpoint client = new Endpoint("client", myBridge, "172.18.0.3/16");
        Broker.publish(client.allocated());
        awaitInView(client);
        Dig asClient = dig.as(client.containerId);

        Message answer = asClient.a(FakeUpstream.OUTSIDE_NAME, transport);
        assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(Dig.addresses(answer)).containsExactly(FakeUpstream.OUTSIDE_ADDRESS);
        assertThat(answer.getOPT()).isNotNull();
        assertThat(answer.getOPT().getOptions()).isEmpty();
        assertThat(UpstreamsResource.failing.queries()).isPositive();
        assertThat(UpstreamsResource.answering.sawIdentityOption()).isFalse();
        assertThat(UpstreamsResource.failing.sawIdentityOption()).isFalse();
        assertThat(asClient.a("nowhere.example.test.", transport).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @org.junit.jupiter.api.Test
    void bigAnswersAreTruncatedOverUdpAndCompleteOverTcp() throws Exception {
        Endpoint client = new Endpoint("client", myBridge, "172.18.0.3/16");
        List<Endpoint> replicas = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            replicas.add(new Endpoint("replica-" + i, myBridge, "172.18.1." + (i + 10) + "/16").aliases("many"));
        }
        Broker.publish(client.allocated());
        replicas.forEach(r -> Broker.publish(r.allocated()));
        awaitInView(client);
        awaitInView(replicas.toArray(Endpoint[]::new));
        Dig asClient = dig.as(client.containerId);

        byte[] sent = asClient.udpBytes("many", org.xbill.DNS.Type.A);
        Message udp = new Message(sent);
        assertThat(udp.getHeader().getFlag(org.xbill.DNS.Flags.TC)).as("TC over UDP").isTrue();
        assertThat(sent.length).as("bytes of the UDP answer, within the EDNS0 size the query offered").isLessThanOrEqualTo(1232);
        assertThat(Dig.addresses(udp).size()).isLessThan(100);
        Message tcp = asClient.a("many", Transport.TCP);
        assertThat(tcp.getHeader().getFlag(org.xbill.DNS.Flags.TC)).isFalse();
        assertThat(Dig.addresses(tcp)).hasSize(100);
    }
}
