package io.netplane.nat.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.Names;
import io.netplane.events.NetworkCreated;
import io.netplane.events.model.IpamConfig;
import io.netplane.events.model.PortSpec;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.netplane.nat.rules.BridgeNetwork;
import io.netplane.nat.store.BindingRow;
import io.netplane.nat.store.HostRow;
import io.netplane.nat.store.NatStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The firewall of a host with an endpoint on an overlay network, from the events through the real
 * PostgreSQL to the stored ruleset: a Docker container, whose overlay endpoint is its gateway
 * endpoint, gets its overlay's bridge covered as a bridge network's (way out, forwarding,
 * isolation, published ports); netplane's own sandbox, whose gateway endpoint is on
 * netplane_gwbridge, changes nothing. Each test has hosts and networks of its own.
 */
@QuarkusTest
@QuarkusTestResource(LocalClusterResource.class)
class OverlayGatewayTest {

    private final NatStore store = new NatStore();

    @Inject
    EventApplier applier;

    @Inject
    PortReservations reservations;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aDockerContainerOnAnOverlayGetsAWayOutForwardingIsolationAndItsPorts() throws SQLException {
        String id = unique();
        String overlay = "a" + id;
        String web = "b" + id;
        String br = Names.bridgeDevice(overlay);
        String webBr = Names.bridgeDevice(web);
        applier.apply(overlay(overlay, "10.0.9.0/24", false));
        applier.apply(bridge(web, "172.23.0.0/16"));
        applier.apply(dockerEndpoint("d" + id, 1, "h-" + id, overlay, "10.0.9.2", List.of(tcp(8080, 80))));
        applier.apply(endpoint("w" + id, 1, "h-" + id, web, "bridge", "create", "172.23.0.2", true, List.of()));

        String doc = ruleset("h-" + id);
        assertThat(doc).contains(
                "-A NETPLANE-POSTROUTING -s 10.0.9.0/24 ! -o " + br + " -j MASQUERADE\n",
                "-A NETPLANE-POSTROUTING -o " + br + " -m addrtype --src-type LOCAL -j MASQUERADE\n",
                "-A NETPLANE-POSTROUTING -s 10.0.9.0/24 -o " + br + " -m conntrack --ctstate DNAT -j MASQUERADE\n",
                "-A NETPLANE-FORWARD -o " + br + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n",
                "-A NETPLANE-FORWARD -o " + br + " -j NETPLANE-INBOUND\n",
                "-A NETPLANE-FORWARD -i " + br + " -o " + br + " -j ACCEPT\n",
                "-A NETPLANE-FORWARD -i " + br + " ! -o " + br + " -j ACCEPT\n",
                "-A NETPLANE-INBOUND ! -i " + br + " -o " + br + " -m conntrack --ctstate DNAT -j ACCEPT\n",
                // isolation both ways between the overlay and the bridge network of this host
                "-A NETPLANE-INBOUND ! -i " + br + " -o " + br + " -j DROP\n",
                "-A NETPLANE-INBOUND ! -i " + webBr + " -o " + webBr + " -j DROP\n",
                "-A NETPLANE-TCP-8000 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.0.9.2:80\n");
        assertThat(doc.indexOf("-A NETPLANE-FORWARD -o " + br + " -j NETPLANE-INBOUND"))
                .as("the overlay's inbound check comes before any bridge's way out")
                .isLessThan(doc.indexOf("-A NETPLANE-FORWARD -i " + webBr + " ! -o " + webBr + " -j ACCEPT"));

        applier.apply(released("d" + id, 2, "h-" + id, overlay));
        assertThat(ruleset("h-" + id)).doesNotContain(br, "DNAT --to-destination");
    }

    @Test
    void netplanesOwnSandboxOnAnOverlayLeavesTheRulesetAsItWas() throws SQLException {
        String id = unique();
        String overlay = "a" + id;
        String gw = "c" + id;
        String docker = "h1-" + id;
        String own = "h2-" + id;
        applier.apply(overlay(overlay, "10.0.10.0/24", false));
        applier.apply(gatewayBridge(gw));
        // a Docker container on h1 covers the overlay there, not on h2
        applier.apply(dockerEndpoint("d" + id, 1, docker, overlay, "10.0.10.2", List.of()));
        applier.apply(endpoint("g" + id, 1, own, gw, "bridge", "create", "172.31.0.2", true, List.of(tcp(8081, 80))));
        HostRow before = host(own);

        applier.apply(endpoint("o" + id, 1, own, overlay, "overlay", "create", "10.0.10.3", false, List.of()));

        HostRow after = host(own);
        assertThat(after.document()).isEqualTo(before.document()).doesNotContain(Names.bridgeDevice(overlay))
                .contains("--dport 8081 -j DNAT --to-destination 172.31.0.2:80");
        assertThat(after.revision()).as("nothing new to publish").isEqualTo(before.revision());
        try (Connection c = dataSource.getConnection()) {
            assertThat(store.bridgesOfHost(c, own)).extracting(BridgeNetwork::bridge)
                    .containsExactly(Names.GATEWAY_BRIDGE_DEVICE);
            assertThat(store.bridgesOfHost(c, docker)).extracting(BridgeNetwork::bridge)
                    .containsExactly(Names.bridgeDevice(overlay));
        }
    }

    @Test
    void anInternalOverlayIsClosedToTheOutsideAndPublishesNothing() throws SQLException {
        String id = unique();
        String overlay = "a" + id;
        String br = Names.bridgeDevice(overlay);
        applier.apply(overlay(overlay, "10.0.11.0/24", true));
        applier.apply(dockerEndpoint("d" + id, 1, "h-" + id, overlay, "10.0.11.2", List.of(tcp(8082, 80))));

        assertThat(ruleset("h-" + id)).contains(
                "-A NETPLANE-INTERNAL ! -s 10.0.11.0/24 -o " + br + " -j DROP\n",
                "-A NETPLANE-INTERNAL ! -d 10.0.11.0/24 -i " + br + " -j DROP\n",
                "-A NETPLANE-INBOUND ! -i " + br + " -o " + br + " -j DROP\n")
                .doesNotContain("MASQUERADE", "DNAT --to-destination", "-i " + br + " ! -o " + br);
    }

    /** Docker routes an internal bridge network's containers via its gateway, but publishes and holds no port. */
    @Test
    void anInternalBridgesGatewayEndpointHoldsNoHostPort() throws SQLException {
        String id = unique();
        String vault = "a" + id;
        String host = "h-" + id;
        applier.apply(network(vault, "bridge", "local", "172.24.0.0/16", true, Names.bridgeDevice(vault), true));
        applier.apply(endpoint("v" + id, 1, host, vault, "bridge", "create", "172.24.0.2", true, List.of(tcp(8083, 80))));

        assertThat(ruleset(host)).doesNotContain("DNAT --to-destination");
        try (Connection c = dataSource.getConnection()) {
            assertThat(store.bindingsOfHost(c, host)).as("host port 8083 stays free").isEmpty();
        }
    }

    /** ipam-service books ports before it commits (PUT /v1/endpoints/{id}/ports for Docker's -p). */
    @Test
    void portsBookedAheadForADockerOverlayEndpointBecomeItsDnatOnceItsEventComes() throws SQLException {
        String id = unique();
        String overlay = "a" + id;
        String host = "h-" + id;
        String endpoint = "e" + id;
        applier.apply(overlay(overlay, "10.0.12.0/24", false));
        List<PortSpec> dynamic = List.of(new PortSpec(null, null, null, 80, null, "tcp"));
        List<BindingRow> booked = reservations.reserve(host, endpoint, new PortReservations.Request(overlay,
                "c-" + endpoint, "web", "10.0.12.2", dynamic, List.of(), false));
        assertThat(booked).extracting(BindingRow::hostPort).containsExactly(32768);

        applier.apply(dockerEndpoint(endpoint, 1, host, overlay, "10.0.12.2", dynamic));

        assertThat(ruleset(host)).contains("--dport 32768 -j DNAT --to-destination 10.0.12.2:80\n");
        try (Connection c = dataSource.getConnection()) {
            assertThat(store.bindingsOfHost(c, host)).as("taken over, not booked again")
                    .extracting(BindingRow::hostPort).containsExactly(32768);
        }
    }

    private static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 15);
    }

    private String ruleset(String hostId) throws SQLException {
        return host(hostId).document();
    }

    private HostRow host(String hostId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return store.host(c, hostId).orElseThrow();
        }
    }

    private static NetworkCreated overlay(String id, String subnet, boolean internal) {
        return network(id, "overlay", "global", subnet, internal, Names.bridgeDevice(id), true);
    }

    private static NetworkCreated bridge(String id, String subnet) {
        return network(id, "bridge", "local", subnet, false, Names.bridgeDevice(id), true);
    }

    private static NetworkCreated gatewayBridge(String id) {
        return network(id, "bridge", "local", "172.31.0.0/16", false, Names.GATEWAY_BRIDGE_DEVICE, false);
    }

    private static NetworkCreated network(String id, String driver, String scope, String subnet, boolean internal,
            String bridge, boolean icc) {
        return new NetworkCreated(id, 1, Instant.now(), NetworkCreated.SCHEMA_VERSION, "net-" + id, driver, scope,
                internal, false, false, false, List.of(new IpamConfig(subnet, null, null, Map.of())), Map.of(),
                Map.of(), bridge, 1450, icc, Instant.now());
    }

    /** A Docker container's endpoint: sandbox "docker", no gwbridge endpoint, so this one is its gateway. */
    private static EndpointAllocated dockerEndpoint(String id, long revision, String host, String network, String ip,
            List<PortSpec> ports) {
        return endpoint(id, revision, host, network, "overlay", Names.RUNTIME_SANDBOX, ip, true, ports);
    }

    private static EndpointAllocated endpoint(String id, long revision, String host, String network, String driver,
            String sandbox, String ip, boolean gateway, List<PortSpec> ports) {
        return new EndpointAllocated(id, revision, Instant.now(), EndpointAllocated.SCHEMA_VERSION, "c-" + id,
                "k" + id, "k" + id, host, sandbox, null, network, "net-" + network, driver, "eth0",
                "02:42:00:00:00:01", ip + "/24", null, null, 1450, List.of(), List.of(), List.of(), gateway,
                false, ports, List.of(), false);
    }

    private static EndpointReleased released(String id, long revision, String host, String network) {
        return new EndpointReleased(id, revision, Instant.now(), EndpointReleased.SCHEMA_VERSION, "c-" + id, network,
                host);
    }

    private static PortSpec tcp(int hostPort, int containerPort) {
        return new PortSpec(null, hostPort, null, containerPort, null, "tcp");
    }
}
