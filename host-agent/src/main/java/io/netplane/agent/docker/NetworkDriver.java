package io.netplane.agent.docker;

import io.netplane.agent.ipam.IpamServiceClient;
import io.netplane.agent.ipam.NetplaneApi;
import io.netplane.agent.ipam.NetplaneNetwork;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netplane.agent.reconcile.Ownership;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Docker's remote network driver. Answers from the plugin's own state, except where the netplane
 * network must change (CreateNetwork's options, published ports). Calls for ids it does not know
 * succeed when they tear down, so Docker can always clean up.
 */
final class NetworkDriver {

    private static final Logger LOG = Logger.getLogger(NetworkDriver.class);
    static final String DRIVER_OPTION = "netplane.driver";
    private static final String GENERIC = "com.docker.network.generic";
    private static final String DOCKER_OPTIONS = "com.docker.network.";
    private static final Pattern DOCKER_ID = Pattern.compile("[0-9a-f]{64}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String EXTERNAL_CONNECTIVITY = "driver failed programming external connectivity on endpoint ";

    private final NetplaneApi netplane;
    private final PluginState state;
    private final VethPairs veths;
    private final Runnable vethsChanged;
    private final Consumer<PluginState.Endpoint> joined;
    private final Runnable networkCreated;

    /**
     * {@code vethsChanged}: wakes the reconciler; {@code joined} and {@code networkCreated} tell the
     * engine sync (which names a network made here as Docker did once Docker lists it).
     */
    NetworkDriver(NetplaneApi netplane, PluginState state, VethPairs veths, Runnable vethsChanged,
            Consumer<PluginState.Endpoint> joined, Runnable networkCreated) {
        this.netplane = netplane;
        this.state = state;
        this.veths = veths;
        this.vethsChanged = vethsChanged;
        this.joined = joined;
        this.networkCreated = networkCreated;
    }

    ObjectNode capabilities() {
        return NODES.objectNode().put("Scope", "local").put("ConnectivityScope", "global");
    }

    static String dockerId(JsonNode body, String field) {
        String id = body.path(field).asText("");
        if (!DOCKER_ID.matcher(id).matches()) {
            throw new PluginError("invalid " + field + " \"" + (id.length() > 70 ? id.substring(0, 70) + "..." : id)
                    + "\": Docker's ids are 64 lowercase hex digits");
        }
        return id;
    }

    ObjectNode createNetwork(JsonNode body) {
        String dockerId = dockerId(body, "NetworkID");
        JsonNode options = body.path("Options");
        String driver = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = options.path(GENERIC).fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> o = it.next();
            String key = o.getKey();
            if (DRIVER_OPTION.equals(key)) {
                driver = o.getValue().asText();
                if (!"bridge".equals(driver) && !"overlay".equals(driver)) {
                    throw new PluginError("invalid -o " + DRIVER_OPTION + "=" + driver + ": give bridge (this host only)"
                            + " or overlay (every host)");
                }
            } else if (!IpamDriver.NETWORK_OPTION.equals(key) && !key.startsWith(DOCKER_OPTIONS)) {
                throw new PluginError("unknown option " + key + ": netplane's driver takes -o " + DRIVER_OPTION
                        + "=bridge|overlay (and --internal, --subnet, --gateway, --ip-range, --aux-address)");
            }
        }
        boolean internal = options.path("com.docker.network.internal").asBoolean(false);
        JsonNode v4 = body.path("IPv4Data").path(0);
        String subnet = v4.path("Pool").asText("");
        PluginState.Pool pool = state.unboundPool(subnet).orElseThrow(() -> new PluginError(
                "netplane's network driver needs netplane's IPAM: add --ipam-driver netplane"));
        Map<String, String> aux = new LinkedHashMap<>();
        v4.path("AuxAddresses").fields().forEachRemaining(f -> aux.put(f.getKey(), IpamDriver.bare(f.getValue().asText())));

        NetplaneNetwork network = netplane.network(pool.networkId()).orElseThrow(() -> new PluginError(
                "netplane network " + pool.networkId() + " is gone: create the Docker network again"));
        Map<String, Object> patch = new LinkedHashMap<>();
        if (driver != null && !driver.equals(network.driver())) {
            patch.put("driver", driver);
        }
        if (internal != network.internal()) {
            patch.put("internal", internal);
        }
        if (!aux.isEmpty() && !aux.equals(network.auxAddresses())) {
            patch.put("auxAddresses", aux);
        }
        if (!patch.isEmpty()) {
            network = netplane.patchNetwork(network.id(), patch);
        }
        state.bind(pool, new PluginState.Network(dockerId, network.id(), network.driver(), network.vethMtu(),
                network.gateway(), pool.createdHere(), network.internal()));
        LOG.infof("Docker network %s is netplane network %s (%s, %s)", dockerId.substring(0, 12), network.name(),
                network.driver(), network.subnet());
        networkCreated.run();
        return NODES.objectNode();
    }

    ObjectNode deleteNetwork(JsonNode body) {
        state.removeNetwork(body.path("NetworkID").asText("")); // the pool (and the network, if made here) went with ReleasePool
        return NODES.objectNode();
    }

    ObjectNode createEndpoint(JsonNode body) {
        String networkId = dockerId(body, "NetworkID");
        String endpointId = dockerId(body, "EndpointID");
        PluginState.Network network = state.network(networkId).orElseThrow(() -> new PluginError("Docker network "
                + networkId.substring(0, 12) + " is unknown to netplane on this host (its state file was lost?):"
                + " remove the network and create it again"));
        JsonNode iface = body.path("Interface");
        String address = IpamDriver.bare(iface.path("Address").asText(""));
        PluginState.Held held = state.held(network.networkId(), address).orElseThrow(() -> new PluginError(
                "address " + address + " was not given by netplane's IPAM: use --ipam-driver netplane"));
        String dockerMac = iface.path("MacAddress").asText("");
        String mac = dockerMac.isEmpty() ? held.macAddress() : dockerMac;
        String hostSide = Ownership.vethName(held.endpointId());
        String containerSide = "dk" + endpointId.substring(0, 12);
        String made = veths.create(hostSide, containerSide, mac, network.mtu());
        state.putEndpoint(new PluginState.Endpoint(endpointId, networkId, network.networkId(), address,
                held.endpointId(), hostSide, containerSide, null));
        vethsChanged.run();
        ObjectNode out = NODES.objectNode();
        ObjectNode answer = out.putObject("Interface");
        if (dockerMac.isEmpty()) {
            answer.put("MacAddress", made); // only a field Docker left empty may be filled
        }
        return out;
    }

    ObjectNode deleteEndpoint(JsonNode body) {
        Optional<PluginState.Endpoint> e = state.endpoint(body.path("EndpointID").asText(""));
        if (e.isPresent()) {
            veths.delete(e.get().hostVeth());
            state.removeEndpoint(e.get().dockerEndpointId());
            vethsChanged.run();
        }
        return NODES.objectNode();
    }

    ObjectNode join(JsonNode body) {
        String endpointId = body.path("EndpointID").asText("");
        PluginState.Endpoint e = state.endpoint(endpointId).orElseThrow(() -> new PluginError(
                "endpoint " + endpointId + " is unknown to netplane on this host: connect the container again"));
        PluginState.Network network = state.network(e.dockerNetworkId()).orElseThrow(() -> new PluginError(
                "Docker network " + e.dockerNetworkId() + " is unknown to netplane on this host"));
        ObjectNode out = NODES.objectNode();
        out.putObject("InterfaceName").put("SrcName", e.containerVeth()).put("DstPrefix", "eth");
        // A gateway, or Docker adds docker_gwbridge and routes through it. As Docker's drivers: a bridge
        // network gives its gateway even when --internal (the firewall closes the way out, and dockerd
        // prefers another network's gateway); an internal overlay none (nor a docker_gwbridge)
        if (!network.internal() || "bridge".equals(network.driver())) {
            out.put("Gateway", network.gateway());
        }
        joined.accept(e);
        return out;
    }

    ObjectNode leave(JsonNode body) {
        return NODES.objectNode();
    }

    ObjectNode operInfo(JsonNode body) {
        ObjectNode out = NODES.objectNode();
        out.putObject("Value");
        return out;
    }

    /** {@code -p}: booked through ipam-service with nat-service (host-port uniqueness), DNAT by the agents. */
    ObjectNode programExternalConnectivity(JsonNode body) {
        Optional<PluginState.Endpoint> e = state.endpoint(body.path("EndpointID").asText(""));
        if (e.isEmpty()) {
            throw new PluginError("endpoint " + body.path("EndpointID").asText("") + " is unknown to netplane on this"
                    + " host: its ports cannot be published");
        }
        JsonNode options = body.path("Options");
        List<Map<String, Object>> ports = new ArrayList<>();
        for (JsonNode p : options.path("com.docker.network.portmap")) {
            Map<String, Object> port = new LinkedHashMap<>();
            String hostIp = p.path("HostIP").asText("");
            if (!hostIp.isEmpty()) {
                port.put("hostIp", hostIp);
            }
            int hostPort = p.path("HostPort").asInt(0);
            int hostPortEnd = p.path("HostPortEnd").asInt(0);
            port.put("hostPort", hostPort); // 0: nat-service picks one, as Docker does for -p 80 and -P
            if (hostPortEnd != 0 && hostPortEnd != hostPort) {
                port.put("hostPortEnd", hostPortEnd);
            }
            port.put("containerPort", p.path("Port").asInt());
            port.put("protocol", protocol(p.path("Proto").asInt()));
            ports.add(port);
        }
        List<String> exposed = new ArrayList<>();
        for (JsonNode p : options.path("com.docker.network.endpoint.exposedports")) {
            exposed.add(p.path("Port").asInt() + "/" + protocol(p.path("Proto").asInt()));
        }
        if (ports.isEmpty() && exposed.isEmpty()) {
            // dockerd asks for every container; an endpoint starts with nothing published, and this saves
            // a transaction in ipam-service on each docker run (bench/docker)
            return NODES.objectNode();
        }
        try {
            netplane.publishPorts(e.get().endpointId(), ports, exposed);
        } catch (IpamServiceClient.ServiceError refused) {
            // dockerd says "driver failed programming external connectivity on endpoint <its name>" itself
            String why = refused.getMessage();
            int reason = why.startsWith(EXTERNAL_CONNECTIVITY) ? why.indexOf("): ") : -1;
            throw reason < 0 ? refused : new IpamServiceClient.ServiceError(refused.status, why.substring(reason + 3));
        }
        return NODES.objectNode();
    }

    ObjectNode revokeExternalConnectivity(JsonNode body) {
        Optional<PluginState.Endpoint> e = state.endpoint(body.path("EndpointID").asText(""));
        if (e.isPresent()) {
            try {
                netplane.publishPorts(e.get().endpointId(), List.of(), List.of());
            } catch (IpamServiceClient.ServiceError ex) {
                if (ex.status != 404) {
                    throw ex;
                }
            }
        }
        return NODES.objectNode();
    }

    static String protocol(int number) {
        return switch (number) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 132 -> "sctp";
            default -> throw new PluginError("IP protocol " + number + " cannot be published: tcp, udp or sctp");
        };
    }
}
