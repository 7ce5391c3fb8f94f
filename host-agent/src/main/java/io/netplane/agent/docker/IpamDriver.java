package io.netplane.agent.docker;

import io.netplane.agent.ipam.NetplaneApi;
import io.netplane.agent.ipam.NetplaneNetwork;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Docker's remote IPAM driver, backed synchronously by ipam-service, so that pools and addresses
 * are unique across every host (what Docker cannot do without swarm). A pool is a netplane network
 * (PoolID = its id): the one named by {@code --ipam-opt netplane.network=}, else the one whose
 * subnet is the requested pool, else a new one named {@code docker-<12 hex>} (renamed to Docker's
 * name by the engine sync once Docker tells it). An endpoint's address is held by a placeholder
 * container ({@code docker-ep-<12 hex>}, sandbox {@code docker}) until Docker's container takes it.
 */
final class IpamDriver {

    private static final Logger LOG = Logger.getLogger(IpamDriver.class);
    static final String NETWORK_OPTION = "netplane.network";
    static final String GATEWAY_TYPE = "com.docker.network.gateway";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NetplaneApi netplane;
    private final PluginState state;

    IpamDriver(NetplaneApi netplane, PluginState state) {
        this.netplane = netplane;
        this.state = state;
    }

    static String randomHex12() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    ObjectNode capabilities() {
        return NODES.objectNode().put("RequiresMACAddress", false).put("RequiresRequestReplay", false);
    }

    ObjectNode addressSpaces() {
        return NODES.objectNode().put("LocalDefaultAddressSpace", "netplane-local")
                .put("GlobalDefaultAddressSpace", "netplane-global");
    }

    ObjectNode requestPool(JsonNode body) {
        if (body.path("V6").asBoolean(false)) {
            throw new PluginError("netplane gives IPv4 addresses only: create the network without --ipv6");
        }
        String ref = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.path("Options").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> o = it.next();
            if (!NETWORK_OPTION.equals(o.getKey())) {
                throw new PluginError("unknown IPAM option " + o.getKey() + ": netplane's IPAM takes only --ipam-opt "
                        + NETWORK_OPTION + "=<netplane network id or name>");
            }
            ref = o.getValue().asText();
        }
        String pool = body.path("Pool").asText("");
        String subPool = body.path("SubPool").asText("");
        NetplaneNetwork network;
        boolean created = false;
        if (ref != null && !ref.isEmpty()) {
            String name = ref;
            network = netplane.network(ref).orElseThrow(() -> new PluginError("netplane has no network " + name
                    + " (--ipam-opt " + NETWORK_OPTION + "): create it first, or leave the option out"));
            if (!pool.isEmpty() && !pool.equals(network.subnet())) {
                throw new PluginError("--subnet " + pool + " differs from netplane network " + network.name()
                        + "'s subnet " + network.subnet() + ": leave --subnet out or give " + network.subnet());
            }
        } else {
            network = pool.isEmpty() ? null
                    : netplane.networks().stream().filter(n -> pool.equals(n.subnet())).findFirst().orElse(null);
            if (network == null) {
                network = netplane.createNetwork("docker-" + randomHex12(), "overlay", pool, subPool);
                created = true;
            }
        }
        Optional<PluginState.Network> taken = state.networkOf(network.id());
        if (taken.isPresent()) {
            String here = "netplane network " + network.name() + " (" + network.subnet() + ") is already Docker network "
                    + taken.get().dockerNetworkId().substring(0, 12) + " on this host: use that network";
            // Docker's words when a subnet is asked for twice on one daemon
            throw new PluginError(ref == null ? "Pool overlaps with other one on this address space: " + here : here);
        }
        if (pool.isEmpty() && state.pool(network.id()).isPresent()) {
            // dockerd holds a pool it finds on this host's routes and asks again, without end (reference §3.1)
            throw new PluginError("netplane network " + network.name() + "'s subnet " + network.subnet()
                    + " is routed on this host already: give --subnet " + network.subnet());
        }
        state.putPool(new PluginState.Pool(network.id(), network.subnet(), network.gatewayCidr(), created, null));
        LOG.infof("Docker pool %s: netplane network %s (%s)%s", network.subnet(), network.name(), network.id(),
                created ? ", made for Docker" : "");
        ObjectNode out = NODES.objectNode().put("PoolID", network.id()).put("Pool", network.subnet());
        out.putObject("Data").put(GATEWAY_TYPE, network.gatewayCidr());
        return out;
    }

    ObjectNode releasePool(JsonNode body) {
        String poolId = body.path("PoolID").asText("");
        Optional<PluginState.Pool> pool = state.removePool(poolId);
        if (pool.isPresent() && pool.get().createdHere()) {
            // made for this Docker network (dockerd 20.10 releases the pool before DeleteNetwork, and
            // on a failed create); kept while any host still has endpoints on it
            boolean removed = netplane.deleteNetwork(poolId);
            LOG.infof("netplane network %s %s", poolId, removed ? "removed with its Docker network"
                    : "kept: it is in use or gone already");
        }
        return NODES.objectNode();
    }

    ObjectNode requestAddress(JsonNode body) {
        String poolId = body.path("PoolID").asText("");
        String address = body.path("Address").asText("");
        boolean gateway = GATEWAY_TYPE.equals(body.path("Options").path("RequestAddressType").asText(""));
        Optional<PluginState.Pool> pool = state.pool(poolId);
        if (gateway) {
            NetplaneNetwork network = netplane.network(poolId).orElseThrow(() -> unknownPool(poolId));
            if (address.isEmpty() || address.equals(network.gateway())) {
                return address(network.gatewayCidr());
            }
            NetplaneNetwork patched = netplane.patchNetwork(poolId, Map.of("gateway", address));
            return address(patched.gatewayCidr());
        }
        if (!address.isEmpty() && pool.isPresent() && pool.get().dockerNetworkId() == null) {
            // --aux-address: asked before CreateNetwork, which reserves them all in one PATCH
            return address(address + "/" + prefixOf(pool.get().subnet()));
        }
        String placeholder = "docker-ep-" + randomHex12();
        JsonNode endpoint = netplane.holdAddress(placeholder, poolId, address);
        String cidr = endpoint.path("ipv4Address").asText("");
        if (cidr.isEmpty()) {
            throw new PluginError("ipam-service gave no address on network " + poolId);
        }
        state.hold(new PluginState.Held(poolId, bare(cidr), endpoint.path("id").asText(), placeholder,
                endpoint.path("macAddress").asText(null)));
        return address(cidr);
    }

    ObjectNode releaseAddress(JsonNode body) {
        String poolId = body.path("PoolID").asText("");
        String address = bare(body.path("Address").asText(""));
        Optional<PluginState.Held> held = state.held(poolId, address);
        if (held.isPresent()) {
            netplane.releaseEndpoint(held.get().owner(), poolId);
            state.release(poolId, address);
        }
        return NODES.objectNode(); // a gateway, an auxiliary address or one already released: nothing held
    }

    private static PluginError unknownPool(String poolId) {
        return new PluginError("netplane has no network " + poolId + " (the pool of this Docker network):"
                + " it was removed through netplane; remove the Docker network too");
    }

    private static ObjectNode address(String cidr) {
        ObjectNode out = NODES.objectNode().put("Address", cidr);
        out.putObject("Data");
        return out;
    }

    static String bare(String address) {
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }

    private static String prefixOf(String subnet) {
        return subnet.substring(subnet.indexOf('/') + 1);
    }
}
