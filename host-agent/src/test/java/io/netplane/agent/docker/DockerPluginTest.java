package io.netplane.agent.docker;

import io.netplane.agent.support.FakeIpamService;
import io.netplane.agent.reconcile.LocalReports;
import io.netplane.agent.socket.LocalPlugins;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.agent.host.HostConfig;
import io.netplane.agent.netns.NamespaceManager;
import io.netplane.agent.reconcile.Ownership;
import io.netplane.agent.support.Closing;
import io.netplane.agent.support.Namespaces;
import io.netplane.agent.support.Shell;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin as dockerd sees it: HTTP over its Unix socket, the JSON dockerd 20.10 sends (reference
 * §2-§4), veths in a real namespace standing for the host. ipam-service is a small fake here,
 * for the protocol's shape, errors and time bounds.
 */
class DockerPluginTest {

    private static final String NET = "b293dc006370101b5802c48fb56652a18ea990aced830d277c9f54e523e91634";
    private static final String EP = "876e3d2542914b609db99ee64989bd0108904e7166251fe88005625bc3f0ded4";

    private NamespaceManager manager;
    private Namespaces namespaces;
    private String hostNs;
    private Path dir;
    private FakeIpamService ipam;
    private LocalPlugins plugin;
    private UnixSocketClient docker;
    private final AtomicInteger wakes = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        Namespaces.requireRoot();
        manager = new NamespaceManager();
        namespaces = new Namespaces(manager);
        hostNs = namespaces.create("h");
        dir = Files.createTempDirectory("np-plugin");
        ipam = new FakeIpamService();
        startPlugin(ipam.url());
    }

    private void startPlugin(URI ipamUrl) {
        HostConfig host = new HostConfig("h1", NamespaceManager.pathOf(hostNs), "10.0.0.1", null);
        plugin = new LocalPlugins(new DockerSettings(dir.resolve("plugin.sock"), null, null, ipamUrl), host, manager,
                wakes::incrementAndGet, () -> null, new LocalReports());
        docker = new UnixSocketClient(dir.resolve("plugin.sock"));
    }

    private void stopPlugin() throws Exception {
        docker.close();
        plugin.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (plugin != null) {
            stopPlugin();
        }
        Closing.all(ipam, namespaces, manager);
        if (dir != null) {
            Shell.run("rm", "-rf", dir.toString());
        }
    }

    private String ipLink(String name) {
        return Shell.run("ip", "-n", hostNs, "-o", "link", "show", "dev", name).out();
    }

    @Test
    void theHandshakeSaysNetworkAndIpamDriverLocalScope() throws Exception {
        UnixSocketClient.Answer activate = docker.call("/Plugin.Activate", null);
        assertThat(activate.status()).isEqualTo(200);
        assertThat(activate.contentType()).isEqualTo("application/vnd.docker.plugins.v1+json");
        assertThat(activate.body().toString()).isEqualTo("{\"Implements\":[\"NetworkDriver\",\"IpamDriver\"]}");
        assertThat(docker.post("/NetworkDriver.GetCapabilities", null).toString())
                .isEqualTo("{\"Scope\":\"local\",\"ConnectivityScope\":\"global\"}");
        assertThat(docker.post("/IpamDriver.GetCapabilities", null).path("RequiresMACAddress").asBoolean(true)).isFalse();
        assertThat(docker.post("/IpamDriver.GetDefaultAddressSpaces", null).path("LocalDefaultAddressSpace").asText())
                .isEqualTo("netplane-local");
        assertThat(docker.call("/NetworkDriver.NoSuchMethod", "{}").status()).isEqualTo(404);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("plugin.sock"))))
                .as("only root may drive the plugin").isEqualTo("rw-------");
    }

    /** Reference §4: network create, docker run -p, container exit, network rm, in Docker's order. */
    @Test
    void aNetworkAndAContainerLiveAndGoAsDockerDrivesThem() throws Exception {
        JsonNode pool = docker.post("/IpamDriver.RequestPool", Map.of("AddressSpace", "netplane-local", "Pool", "",
                "SubPool", "", "Options", Map.of(), "V6", false));
        String poolId = pool.path("PoolID").asText();
        assertThat(ipam.networks.get(poolId).get("name").asText()).matches("docker-[0-9a-f]{12}");
        assertThat(ipam.networks.get(poolId).get("driver").asText()).isEqualTo("overlay");
        String subnet = pool.path("Pool").asText();
        String gateway = pool.path("Data").path("com.docker.network.gateway").asText();
        assertThat(gateway).isEqualTo(subnet.replace(".0/24", ".1/24"));

        assertThat(docker.post("/NetworkDriver.CreateNetwork", Map.of("NetworkID", NET,
                "Options", Map.of("com.docker.network.enable_ipv6", false,
                        "com.docker.network.generic", Map.of("netplane.driver", "bridge")),
                "IPv4Data", List.of(Map.of("AddressSpace", "netplane-local", "Gateway", gateway, "Pool", subnet)),
                "IPv6Data", List.of())).toString()).isEqualTo("{}");
        assertThat(ipam.requests).anyMatch(r -> r.startsWith("PATCH /v1/networks/" + poolId + " {\"driver\":\"bridge\"}"));

        JsonNode address = docker.post("/IpamDriver.RequestAddress", Map.of("PoolID", poolId, "Address", ""));
        String cidr = address.path("Address").asText();
        assertThat(cidr).startsWith(subnet.substring(0, subnet.lastIndexOf('.'))).endsWith("/24");
        assertThat(ipam.requests).anyMatch(r -> r.startsWith("POST /v1/containers") && r.contains("\"sandbox\":\"docker\"")
                && r.contains("\"hostId\":\"h1\"") && r.contains("docker-ep-"));
        String endpointId = ipam.containers.values().iterator().next().path("endpoints").path(0).path("id").asText();
        String mac = ipam.containers.values().iterator().next().path("endpoints").path(0).path("macAddress").asText();
        // the reconciler keeps the veth from the moment the address is given, before it exists
        assertThat(plugin.hostVeths()).contains(Ownership.vethName(endpointId));

        JsonNode created = docker.post("/NetworkDriver.CreateEndpoint", Map.of("NetworkID", NET, "EndpointID", EP,
                "Interface", Map.of("Address", cidr, "AddressIPv6", "", "MacAddress", ""),
                "Options", Map.of("com.docker.network.portmap", List.of())));
        assertThat(created.path("Interface").path("MacAddress").asText()).isEqualTo(mac);
        String hostSide = Ownership.vethName(endpointId);
        assertThat(ipLink(hostSide)).contains("mtu 1500").contains("group 28272");
        assertThat(ipLink("dk" + EP.substring(0, 12))).contains("mtu 1500").contains(mac);
        assertThat(plugin.hostVeths()).containsExactly(hostSide);
        assertThat(wakes.get()).isPositive();

        JsonNode join = docker.post("/NetworkDriver.Join", Map.of("NetworkID", NET, "EndpointID", EP,
                "SandboxKey", "/var/run/docker/netns/0e54ea5bbe61", "Options", Map.of()));
        assertThat(join.toString()).isEqualTo("{\"InterfaceName\":{\"SrcName\":\"dk" + EP.substring(0, 12)
                + "\",\"DstPrefix\":\"eth\"},\"Gateway\":\"" + gateway.replace("/24", "") + "\"}");

        // a container with nothing to publish: nothing asked of ipam-service
        docker.post("/NetworkDriver.ProgramExternalConnectivity", Map.of("NetworkID", NET, "EndpointID", EP,
                "Options", Map.of("com.docker.network.endpoint.exposedports", List.of(),
                        "com.docker.network.portmap", List.of())));
        assertThat(ipam.requests).noneMatch(r -> r.startsWith("PUT /v1/endpoints/" + endpointId + "/ports"));
        docker.post("/NetworkDriver.ProgramExternalConnectivity", Map.of("NetworkID", NET, "EndpointID", EP,
                "Options", Map.of("com.docker.network.endpoint.exposedports", List.of(Map.of("Proto", 6, "Port", 80)),
                        "com.docker.network.portmap", List.of(
                                Map.of("Proto", 17, "IP", "", "Port", 81, "HostIP", "127.0.0.1", "HostPort", 18081,
                                        "HostPortEnd", 18081),
                                Map.of("Proto", 6, "IP", "", "Port", 80, "HostIP", "", "HostPort", 0,
                                        "HostPortEnd", 0)))));
        assertThat(ipam.requests).contains("PUT /v1/endpoints/" + endpointId + "/ports {\"ports\":["
                + "{\"hostIp\":\"127.0.0.1\",\"hostPort\":18081,\"containerPort\":81,\"protocol\":\"udp\"},"
                + "{\"hostPort\":0,\"containerPort\":80,\"protocol\":\"tcp\"}],\"exposedPorts\":[\"80/tcp\"]}");
        assertThat(docker.post("/NetworkDriver.EndpointOperInfo", Map.of("NetworkID", NET, "EndpointID", EP))
                .toString()).isEqualTo("{\"Value\":{}}");

        docker.post("/NetworkDriver.RevokeExternalConnectivity", Map.of("NetworkID", NET, "EndpointID", EP));
        assertThat(ipam.requests).contains("PUT /v1/endpoints/" + endpointId + "/ports {\"ports\":[],\"exposedPorts\":[]}");
        assertThat(docker.post("/NetworkDriver.Leave", Map.of("NetworkID", NET, "EndpointID", EP)).toString()).isEqualTo("{}");
        docker.post("/NetworkDriver.DeleteEndpoint", Map.of("NetworkID", NET, "EndpointID", EP));
        assertThat(ipLink(hostSide)).isEmpty();
        docker.post("/IpamDriver.ReleaseAddress", Map.of("PoolID", poolId, "Address", cidr.replace("/24", "")));
        assertThat(ipam.containers).isEmpty();
        assertThat(plugin.hostVeths()).isEmpty();

        // dockerd 20.10's order (observed): the pool first, then the network
        docker.post("/IpamDriver.ReleaseAddress", Map.of("PoolID", poolId, "Address", gateway.replace("/24", "")));
        docker.post("/IpamDriver.ReleasePool", Map.of("PoolID", poolId));
        docker.post("/NetworkDriver.DeleteNetwork", Map.of("NetworkID", NET));
        assertThat(ipam.networks).as("the network made for this Docker network goes with it").isEmpty();
    }

    @Test
    void aNetworkChosenByOptionIsNeitherChangedNorRemovedByDocker() throws Exception {
        String id = ipam.addNetwork("web", "overlay", "10.70.0.0/24").get("id").asText();
        JsonNode pool = docker.post("/IpamDriver.RequestPool", Map.of("AddressSpace", "netplane-local", "Pool", "",
                "SubPool", "", "Options", Map.of("netplane.network", "web"), "V6", false));
        assertThat(pool.path("PoolID").asText()).isEqualTo(id);
        assertThat(pool.path("Pool").asText()).isEqualTo("10.70.0.0/24");
        docker.post("/NetworkDriver.CreateNetwork", Map.of("NetworkID", NET, "Options", Map.of(),
                "IPv4Data", List.of(Map.of("Gateway", "10.70.0.1/24", "Pool", "10.70.0.0/24")), "IPv6Data", List.of()));
        assertThat(ipam.requests).noneMatch(r -> r.startsWith("PATCH"));

        JsonNode second = docker.post("/IpamDriver.RequestPool", Map.of("Pool", "", "Options",
                Map.of("netplane.network", id), "V6", false));
        assertThat(second.path("Error").asText()).isEqualTo("netplane network web (10.70.0.0/24) is already Docker"
                + " network " + NET.substring(0, 12) + " on this host: use that network");

        assertThat(docker.post("/IpamDriver.RequestPool", Map.of("Pool", "10.70.0.0/24", "Options", Map.of()))
                .path("Error").asText()).startsWith("Pool overlaps with other one on this address space: netplane network web");

        docker.post("/IpamDriver.ReleasePool", Map.of("PoolID", id));
        docker.post("/NetworkDriver.DeleteNetwork", Map.of("NetworkID", NET));
        assertThat(ipam.networks).containsKey(id);
        assertThat(ipam.requests).noneMatch(r -> r.startsWith("DELETE"));
    }

    /** Reference §3.1: dockerd holds a pool it finds on the host's routes and asks again, forever, unless refused. */
    @Test
    void aPoolAskedForAgainWhileDockerHoldsItIsRefusedNotGivenAgain() throws Exception {
        String id = ipam.addNetwork("routed", "bridge", "10.71.0.0/24").get("id").asText();
        Map<String, Object> byOption = Map.of("Pool", "", "Options", Map.of("netplane.network", id), "V6", false);
        assertThat(docker.post("/IpamDriver.RequestPool", byOption).path("PoolID").asText()).isEqualTo(id);
        assertThat(docker.post("/IpamDriver.RequestPool", byOption).path("Error").asText()).isEqualTo(
                "netplane network routed's subnet 10.71.0.0/24 is routed on this host already: give --subnet 10.71.0.0/24");
        docker.post("/IpamDriver.ReleasePool", Map.of("PoolID", id));
        assertThat(docker.post("/IpamDriver.RequestPool", Map.of("Pool", "10.71.0.0/24", "Options",
                Map.of("netplane.network", id), "V6", false)).path("PoolID").asText()).isEqualTo(id);
    }

    /** --subnet --ip-range --gateway --aux-address --internal, as dockerd sends them (reference §2.3, §3.1). */
    @Test
    void dockersNetworkSettingsCompleteTheNetplaneNetwork() throws Exception {
        JsonNode pool = docker.post("/IpamDriver.RequestPool", Map.of("AddressSpace", "netplane-local",
                "Pool", "10.77.5.0/24", "SubPool", "10.77.5.128/25", "Options", Map.of(), "V6", false));
        String poolId = pool.path("PoolID").asText();
        assertThat(ipam.requests).anyMatch(r -> r.startsWith("POST /v1/networks {") && r.contains(
                "\"ipam\":[{\"subnet\":\"10.77.5.0/24\",\"ipRange\":\"10.77.5.128/25\"}]"));
        assertThat(docker.post("/IpamDriver.RequestAddress", Map.of("PoolID", poolId, "Address", "10.77.5.254",
                "Options", Map.of("RequestAddressType", "com.docker.network.gateway"))).path("Address").asText())
                .isEqualTo("10.77.5.254/24");
        assertThat(ipam.requests).contains("PATCH /v1/networks/" + poolId + " {\"gateway\":\"10.77.5.254\"}");
        assertThat(docker.post("/IpamDriver.RequestAddress", Map.of("PoolID", poolId, "Address", "10.77.5.9"))
                .path("Address").asText()).as("an auxiliary address, reserved by CreateNetwork").isEqualTo("10.77.5.9/24");
        assertThat(ipam.containers).isEmpty();
        docker.post("/NetworkDriver.CreateNetwork", Map.of("NetworkID", NET,
                "Options", Map.of("com.docker.network.enable_ipv6", false, "com.docker.network.generic", Map.of(),
                        "com.docker.network.internal", true),
                "IPv4Data", List.of(Map.of("AddressSpace", "netplane-local", "AuxAddresses", Map.of("r", "10.77.5.9/24"),
                        "Gateway", "10.77.5.254/24", "Pool", "10.77.5.0/24")), "IPv6Data", List.of()));
        assertThat(ipam.requests).contains("PATCH /v1/networks/" + poolId
                + " {\"internal\":true,\"auxAddresses\":{\"r\":\"10.77.5.9\"}}");
        String cidr = docker.post("/IpamDriver.RequestAddress", Map.of("PoolID", poolId, "Address", ""))
                .path("Address").asText();
        docker.post("/NetworkDriver.CreateEndpoint", Map.of("NetworkID", NET, "EndpointID", EP,
                "Interface", Map.of("Address", cidr, "MacAddress", "")));
        JsonNode join = docker.post("/NetworkDriver.Join", Map.of("NetworkID", NET, "EndpointID", EP));
        assertThat(join.toString()).as("no default route out of an --internal network, as Docker's bridge driver")
                .isEqualTo("{\"InterfaceName\":{\"SrcName\":\"dk" + EP.substring(0, 12) + "\",\"DstPrefix\":\"eth\"}}");
        docker.post("/NetworkDriver.DeleteEndpoint", Map.of("NetworkID", NET, "EndpointID", EP));
    }

    @Test
    void badInputIsRefusedInTheFieldDockerReadsWithWhatToDo() throws Exception {
        assertThat(docker.post("/IpamDriver.RequestPool", Map.of("Pool", "", "Options", Map.of(), "V6", true))
                .path("Error").asText()).isEqualTo("netplane gives IPv4 addresses only: create the network without --ipv6");
        assertThat(docker.post("/IpamDriver.RequestPool", Map.of("Pool", "", "Options", Map.of("poolopt", "1")))
                .path("Error").asText()).startsWith("unknown IPAM option poolopt: netplane's IPAM takes only --ipam-opt");
        assertThat(docker.post("/IpamDriver.RequestPool", Map.of("Pool", "", "Options", Map.of("netplane.network", "nope")))
                .path("Error").asText()).startsWith("netplane has no network nope");
        ipam.addNetwork("taken", "bridge", "10.71.0.0/24");
        JsonNode pool = docker.post("/IpamDriver.RequestPool", Map.of("Pool", "10.71.0.0/24", "Options", Map.of()));
        JsonNode refused = docker.post("/NetworkDriver.CreateNetwork", Map.of("NetworkID", NET,
                "Options", Map.of("com.docker.network.generic", Map.of("mtu", "1450")),
                "IPv4Data", List.of(Map.of("Gateway", "10.71.0.1/24", "Pool", "10.71.0.0/24"))));
        assertThat(refused.path("Err").asText()).startsWith("unknown option mtu: netplane's driver takes -o netplane.driver");
        assertThat(docker.post("/NetworkDriver.CreateNetwork", Map.of("NetworkID", NET, "Options",
                Map.of("com.docker.network.generic", Map.of("netplane.driver", "macvlan")),
                "IPv4Data", List.of(Map.of("Pool", "10.71.0.0/24")))).path("Err").asText())
                .isEqualTo("invalid -o netplane.driver=macvlan: give bridge (this host only) or overlay (every host)");
        assertThat(docker.post("/NetworkDriver.CreateNetwork", Map.of("NetworkID", NET, "Options", Map.of(),
                "IPv4Data", List.of(Map.of("Pool", "172.18.0.0/16")))).path("Err").asText())
                .isEqualTo("netplane's network driver needs netplane's IPAM: add --ipam-driver netplane");
        assertThat(docker.post("/NetworkDriver.Join", Map.of("NetworkID", NET, "EndpointID", EP)).path("Err").asText())
                .startsWith("endpoint " + EP + " is unknown to netplane on this host");
        assertThat(docker.post("/NetworkDriver.CreateNetwork", Map.of("NetworkID", "../etc")).path("Err").asText())
                .isEqualTo("invalid NetworkID \"../etc\": Docker's ids are 64 lowercase hex digits");
        // ipam-service's own words reach Docker's user unchanged
        ipam.addNetwork("other", "bridge", "10.72.0.0/24");
        assertThat(pool.path("PoolID").isTextual()).isTrue();
        assertThat(docker.post("/IpamDriver.RequestAddress", Map.of("PoolID", "nosuchnet", "Address", ""))
                .path("Error").asText()).isEqualTo("network nosuchnet not found");
    }

    @Test
    void teardownOfWhatTheAgentDoesNotKnowSucceeds() throws Exception {
        assertThat(docker.post("/NetworkDriver.DeleteEndpoint", Map.of("NetworkID", NET, "EndpointID", EP)).toString())
                .isEqualTo("{}");
        assertThat(docker.post("/NetworkDriver.Leave", Map.of("NetworkID", NET, "EndpointID", EP)).toString()).isEqualTo("{}");
        assertThat(docker.post("/NetworkDriver.RevokeExternalConnectivity", Map.of("NetworkID", NET, "EndpointID", EP))
                .toString()).isEqualTo("{}");
        assertThat(docker.post("/NetworkDriver.DeleteNetwork", Map.of("NetworkID", NET)).toString()).isEqualTo("{}");
        assertThat(docker.post("/IpamDriver.ReleaseAddress", Map.of("PoolID", "x", "Address", "10.0.0.9")).toString())
                .isEqualTo("{}");
        assertThat(docker.post("/IpamDriver.ReleasePool", Map.of("PoolID", "x")).toString()).isEqualTo("{}");
        assertThat(ipam.requests).isEmpty();
    }

    @Test
    void whatDockerWasToldSurvivesAnAgentRestart() throws Exception {
        ipam.addNetwork("web", "overlay", "10.73.0.0/24");
        String poolId = docker.post("/IpamDriver.RequestPool", Map.of("Pool", "10.73.0.0/24", "Options", Map.of()))
                .path("PoolID").asText();
        docker.post("/NetworkDriver.CreateNetwork", Map.of("NetworkID", NET, "Options", Map.of(),
                "IPv4Data", List.of(Map.of("Gateway", "10.73.0.1/24", "Pool", "10.73.0.0/24"))));
        String cidr = docker.post("/IpamDriver.RequestAddress", Map.of("PoolID", poolId, "Address", "10.73.0.40"))
                .path("Address").asText();
        assertThat(cidr).isEqualTo("10.73.0.40/24");
        docker.post("/NetworkDriver.CreateEndpoint", Map.of("NetworkID", NET, "EndpointID", EP,
                "Interface", Map.of("Address", cidr, "MacAddress", "")));
        assertThat(ipLink("dk" + EP.substring(0, 12))).contains("mtu 1450");

        stopPlugin();
        assertThat(Files.exists(dir.resolve("plugin.sock.state.json"))).isTrue();
        startPlugin(ipam.url());

        assertThat(docker.post("/NetworkDriver.Join", Map.of("NetworkID", NET, "EndpointID", EP))
                .path("Gateway").asText()).isEqualTo("10.73.0.1");
        docker.post("/NetworkDriver.DeleteEndpoint", Map.of("NetworkID", NET, "EndpointID", EP));
        assertThat(ipLink("dk" + EP.substring(0, 12))).isEmpty();
        docker.post("/IpamDriver.ReleaseAddress", Map.of("PoolID", poolId, "Address", "10.73.0.40"));
        assertThat(ipam.containers).isEmpty();
    }

    @Test
    void anUnreachableIpamServiceIsAnErrorNotAHang() throws Exception {
        stopPlugin();
        ipam.close();
        startPlugin(URI.create("http://127.0.0.1:1"));
        assertThat(docker.post("/IpamDriver.RequestPool", Map.of("Pool", "", "Options", Map.of())).path("Error").asText())
                .startsWith("netplane's ipam-service at http://127.0.0.1:1 is unreachable");
    }

    @Test
    void aStalledIpamServiceIsAnErrorWithinTheRequestTimeout() throws Exception {
        ipam.stall = true;
        assertThat(docker.post("/IpamDriver.RequestPool", Map.of("Pool", "", "Options", Map.of())).path("Error").asText())
                .startsWith("netplane's ipam-service at " + ipam.url() + " did not answer within 5 s");
    }
}
