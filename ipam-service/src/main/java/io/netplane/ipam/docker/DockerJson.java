package io.netplane.ipam.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.events.model.EndpointSpec;
import io.netplane.events.model.IpamConfig;
import io.netplane.events.model.LinkSpec;
import io.netplane.events.model.NetworkSpec;
import io.netplane.events.validate.Shown;
import io.netplane.ipam.api.Views.EndpointView;
import io.netplane.ipam.core.IpamException;
import io.netplane.ipam.core.Network;
import io.netplane.ipam.core.NetworkRequest;
import io.netplane.ipam.core.Subnet;
import io.netplane.ipam.service.IpamService.NetworkDetails;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Docker Engine API bodies (PascalCase) to and from netplane's model. */
public final class DockerJson {

    private DockerJson() {
    }

    /** A network as {@code GET /networks/{id}} shows it to a client of API version {@code api}. */
    public static Map<String, Object> network(NetworkDetails d, DockerApiVersion api) {
        Network n = d.network();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Name", n.name());
        out.put("Id", n.id());
        out.put("Created", n.created().toString());
        out.put("Scope", n.scope());
        out.put("Driver", n.driver());
        if (api.has("1.47")) {
            out.put("EnableIPv4", true);
        }
        out.put("EnableIPv6", n.enableIPv6());
        List<Map<String, Object>> config = new ArrayList<>();
        for (Subnet s : n.subnets()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Subnet", s.subnet().toString());
            if (s.ipRange() != null) {
                entry.put("IPRange", s.ipRange().toString());
            }
            if (showsGateway(n, s)) {
                entry.put("Gateway", s.gatewayText());
            }
            if (!s.auxAddresses().isEmpty()) {
                entry.put("AuxiliaryAddresses", s.auxAddresses());
            }
            config.add(entry);
        }
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("Driver", "default");
        ipam.put("Options", n.predefined() ? null : Map.of());
        ipam.put("Config", config);
        out.put("IPAM", ipam);
        out.put("Internal", n.internal());
        out.put("Attachable", n.attachable());
        if (api.has("1.29")) {
            out.put("Ingress", false);
        }
        if (api.has("1.30")) {
            out.put("ConfigFrom", Map.of("Network", ""));
            out.put("ConfigOnly", false);
        }
        Map<String, Object> containers = new LinkedHashMap<>();
        for (EndpointView e : d.endpoints()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Name", e.containerName());
            c.put("EndpointID", e.id());
            c.put("MacAddress", e.macAddress() == null ? "" : e.macAddress());
            c.put("IPv4Address", e.ipv4Address() == null ? "" : e.ipv4Address());
            c.put("IPv6Address", "");
            containers.put(e.containerId(), c);
        }
        out.put("Containers", containers);
        Map<String, String> options = new LinkedHashMap<>(n.options());
        if (n.predefined() && "bridge".equals(n.driver())) {
            options.put("com.docker.network.bridge.default_bridge", "true");
            options.put(NetworkRequest.OPT_ICC, String.valueOf(n.enableIcc()));
            options.put(NetworkRequest.OPT_MASQUERADE, "true");
            options.put("com.docker.network.bridge.host_binding_ipv4", "0.0.0.0");
            options.put(NetworkRequest.OPT_BRIDGE_NAME, n.bridgeName());
            options.put(NetworkRequest.OPT_MTU, String.valueOf(n.mtu()));
        }
        out.put("Options", options);
        out.put("Labels", n.labels());
        return out;
    }

    /**
     * Docker 20.10 (daemon buildIpamResources) shows the configuration the user gave, so a given
     * subnet without a gateway has none, and the default bridge none; a pool Docker chose is shown
     * with the gateway it chose.
     */
    private static boolean showsGateway(Network n, Subnet s) {
        if (s.gateway() == null) {
            return false;
        }
        return s.userConfigured() ? s.gatewayConfigured() : !n.predefined();
    }

    /** {@code POST /networks/create} body to a NetworkSpec; a field of the wrong JSON type is refused. */
    public static NetworkSpec createRequest(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw IpamException.badRequest("the request body must be a JSON object with at least \"Name\"");
        }
        if (bool(body, "Ingress") || bool(body, "ConfigOnly") || text(body.path("ConfigFrom"), "Network") != null) {
            throw IpamException.badRequest("ingress, config-only and config-from networks are swarm features "
                    + "netplane does not offer");
        }
        String ipamDriver = text(body.path("IPAM"), "Driver");
        if (ipamDriver != null && !"default".equals(ipamDriver)) {
            throw IpamException.notFound("could not find plugin " + Shown.of(ipamDriver)
                    + " in v1 plugin registry: plugin not found");
        }
        List<IpamConfig> configs = new ArrayList<>();
        for (JsonNode c : list(body.path("IPAM"), "Config")) {
            configs.add(new IpamConfig(text(c, "Subnet"), text(c, "IPRange"), text(c, "Gateway"),
                    stringMap(c, "AuxiliaryAddresses")));
        }
        return new NetworkSpec(text(body, "Name"), text(body, "Driver"), configs, bool(body, "Internal"),
                bool(body, "Attachable"), bool(body, "EnableIPv6"), stringMap(body, "Options"),
                stringMap(body, "Labels"));
    }

    /** {@code POST /networks/{id}/connect}'s EndpointConfig to an EndpointSpec for that network. */
    public static EndpointSpec endpointConfig(String network, JsonNode config) {
        List<String> aliases = new ArrayList<>();
        list(config, "Aliases").forEach(a -> aliases.add(string(a, "Aliases")));
        List<LinkSpec> links = new ArrayList<>();
        for (JsonNode l : list(config, "Links")) {
            links.add(link(string(l, "Links")));
        }
        return new EndpointSpec(network, aliases, text(config.path("IPAMConfig"), "IPv4Address"), links);
    }

    /** "name:alias" as the CLI sends it, or the older "/name:/container/alias". */
    static LinkSpec link(String text) {
        String[] parts = text.split(":", 2);
        String name = parts[0].startsWith("/") ? parts[0].substring(1) : parts[0];
        String alias = parts.length > 1 ? parts[1].substring(parts[1].lastIndexOf('/') + 1) : name;
        return new LinkSpec(name, alias);
    }

    /** Docker's {@code type} filter: "builtin" for the predefined networks, "custom" for the rest. */
    static String type(Network n) {
        return n.predefined() ? "builtin" : "custom";
    }

    /** A string field; null when absent, null or empty. */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return absent(v) ? null : emptyToNull(string(v, field));
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (absent(v)) {
            return false;
        }
        if (!v.isBoolean()) {
            throw wrongType(v, field, "bool");
        }
        return v.booleanValue();
    }

    private static Iterable<JsonNode> list(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (absent(v)) {
            return List.of();
        }
        if (!v.isArray()) {
            throw wrongType(v, field, "[]string");
        }
        return v;
    }

    private static Map<String, String> stringMap(JsonNode node, String field) {
        JsonNode v = node.path(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (absent(v)) {
            return out;
        }
        if (!v.isObject()) {
            throw wrongType(v, field, "map[string]string");
        }
        v.fields().forEachRemaining(e -> out.put(e.getKey(), string(e.getValue(), field)));
        return out;
    }

    private static String string(JsonNode v, String field) {
        if (!v.isTextual()) {
            throw wrongType(v, field, "string");
        }
        return v.textValue();
    }

    private static boolean absent(JsonNode v) {
        return v.isMissingNode() || v.isNull();
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /** Docker's (Go's) words for a value of the wrong JSON type. */
    private static IpamException wrongType(JsonNode v, String field, String type) {
        String kind = v.isNumber() ? "number" : v.isBoolean() ? "bool" : v.isArray() ? "array"
                : v.isObject() ? "object" : "string";
        return IpamException.badRequest("json: cannot unmarshal " + kind + " into Go struct field " + field
                + " of type " + type);
    }
}
