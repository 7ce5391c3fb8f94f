package io.netplane.agent.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netplane.events.validate.Alias;
import io.netplane.events.validate.InterfaceName;
import io.netplane.events.validate.InvalidValueException;
import io.netplane.events.validate.Ipv4Address;
import io.netplane.events.validate.MacAddress;
import io.netplane.events.validate.NetworkName;
import io.netplane.events.validate.SandboxPath;
import io.netplane.events.validate.Shown;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One CNI call as netplane-cni forwards it (the {@code CNI_*} environment and the configuration it
 * read on stdin), checked once here: every value that becomes a path, an interface name or a
 * netplane request is valid, or the call is refused with the spec's code.
 *
 * @param network the netplane network: the configuration's {@code network}, else its {@code name}
 * @param macAddress {@code runtimeConfig.mac} or {@code CNI_ARGS} {@code MAC=}; null for netplane's
 * @param ipv4Address {@code runtimeConfig.ips} or {@code CNI_ARGS} {@code IP=}, without prefix; null for any
 * @param podName {@code K8S_POD_NAME} (podman puts the container's name there); null when absent
 */
record CniRequest(String command, String cniVersion, String containerId, String netns, String ifname,
        String network, String macAddress, String ipv4Address, String podName, List<String> aliases,
        List<Map<String, Object>> portMappings, JsonNode prevResult) {

    /** What the agent serves; VERSION netplane-cni answers itself, without the agent. */
    static final Set<String> COMMANDS = Set.of("ADD", "DEL", "CHECK");
    /** The spec's rule for CNI_CONTAINERID. */
    private static final Pattern CONTAINER_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]{0,255}");
    private static final Set<String> KNOWN_ARGS = Set.of("IgnoreUnknown", "MAC", "IP", "K8S_POD_NAME",
            "K8S_POD_NAMESPACE", "K8S_POD_INFRA_CONTAINER_ID", "K8S_POD_UID");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shim's body: {@code command, containerId, netns, ifname, args, path} and {@code config} (stdin). */
    static CniRequest parse(JsonNode body) {
        String command = text(body, "command");
        JsonNode config = config(text(body, "config"));
        String version = config.path("cniVersion").asText("");
        if (command == null || !COMMANDS.contains(command)) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "unknown CNI_COMMAND " + quoted(command)
                    + ": netplane-cni serves ADD, DEL, CHECK and VERSION (spec " + String.join(", ", CniVersions.SUPPORTED)
                    + ")");
        }
        if (!CniVersions.supported(version)) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "incompatible CNI version " + quoted(version)
                    + ": netplane-cni supports " + String.join(", ", CniVersions.SUPPORTED));
        }
        String name = config.path("name").asText("");
        if (name.isEmpty()) {
            throw new CniError(CniError.INVALID_CONFIG, "the network configuration has no \"name\"");
        }
        String network = config.path("network").asText(name);
        String containerId = text(body, "containerId");
        if (containerId == null || containerId.isEmpty()) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_CONTAINERID is missing");
        }
        if (!CONTAINER_ID.matcher(containerId).matches()) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "invalid CNI_CONTAINERID " + quoted(containerId)
                    + ": it starts with a letter or digit, followed by letters, digits, '_', '.' or '-'");
        }
        String ifname = text(body, "ifname");
        String netns = text(body, "netns");
        if (!"DEL".equals(command) && (netns == null || netns.isEmpty())) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_NETNS is missing: " + command + " needs the"
                    + " container's network namespace");
        }
        if (ifname == null || ifname.isEmpty()) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_IFNAME is missing");
        }
        try {
            InterfaceName.check(ifname, "CNI_IFNAME");
            if (netns != null && !netns.isEmpty()) {
                SandboxPath.check(netns);
            }
        } catch (InvalidValueException e) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, e.getMessage());
        }
        Map<String, String> args = args(text(body, "args"));
        JsonNode runtime = config.path("runtimeConfig");
        try {
            NetworkName.check(network);
            String mac = runtime.path("mac").asText(args.get("MAC"));
            if (mac != null && !mac.isEmpty()) {
                mac = MacAddress.check(mac);
            }
            String ip = runtime.path("ips").path(0).asText(args.get("IP"));
            if (ip != null && !ip.isEmpty()) {
                ip = ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip;
                if (Ipv4Address.parse(ip) == null) {
                    throw new CniError(CniError.INVALID_CONFIG, "invalid IP " + quoted(ip) + ": netplane gives IPv4 addresses");
                }
            }
            String pod = args.get("K8S_POD_NAME");
            List<String> aliases = new ArrayList<>();
            runtime.path("aliases").path(name).forEach(a -> aliases.add(Alias.check(a.asText(), "alias")));
            if (pod != null && !aliases.contains(pod)) {
                aliases.add(0, Alias.check(pod, "K8S_POD_NAME"));
            }
            return new CniRequest(command, version, containerId, netns, ifname, network, mac, ip, pod, aliases,
                    portMappings(runtime.path("portMappings")), config.get("prevResult"));
        } catch (InvalidValueException e) {
            throw new CniError(CniError.INVALID_CONFIG, e.getMessage());
        }
    }

    /** The version a refusal is written in: the configuration's if it can be read, else the newest. */
    static String versionOf(JsonNode body) {
        try {
            String v = config(text(body, "config")).path("cniVersion").asText("");
            return CniVersions.supported(v) ? v : "1.0.0";
        } catch (CniError e) {
            return "1.0.0";
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static JsonNode config(String stdin) {
        if (stdin == null || stdin.isBlank()) {
            throw new CniError(CniError.DECODING_FAILURE, "no network configuration on stdin");
        }
        try {
            JsonNode config = JSON.readTree(stdin);
            if (config == null || !config.isObject()) {
                throw new CniError(CniError.DECODING_FAILURE, "the network configuration must be a JSON object");
            }
            return config;
        } catch (JsonProcessingException e) {
            throw new CniError(CniError.DECODING_FAILURE, "cannot decode the network configuration",
                    e.getOriginalMessage());
        }
    }

    /** {@code K=V;K=V}: keys netplane does not know are refused unless {@code IgnoreUnknown} is true or 1. */
    private static Map<String, String> args(String args) {
        Map<String, String> out = new LinkedHashMap<>();
        if (args == null || args.isEmpty()) {
            return out;
        }
        for (String pair : args.split(";")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CniError(CniError.INVALID_ENVIRONMENT, "invalid CNI_ARGS " + quoted(args)
                        + ": give KEY=VALUE pairs separated by ';'");
            }
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        String ignore = out.getOrDefault("IgnoreUnknown", "");
        if (!"1".equals(ignore) && !"true".equalsIgnoreCase(ignore)) {
            for (String key : out.keySet()) {
                if (!KNOWN_ARGS.contains(key)) {
                    throw new CniError(CniError.INVALID_ENVIRONMENT, "unknown CNI_ARGS key " + quoted(key)
                            + ": netplane-cni reads " + String.join(", ", KNOWN_ARGS.stream().sorted().toList())
                            + " (IgnoreUnknown=1 passes others)");
                }
            }
        }
        return out;
    }

    /** runtimeConfig.portMappings as netplane's published ports; ipam-service checks each value. */
    private static List<Map<String, Object>> portMappings(JsonNode mappings) {
        List<Map<String, Object>> ports = new ArrayList<>();
        for (JsonNode m : mappings) {
            if (!m.path("containerPort").canConvertToInt() || !m.path("hostPort").canConvertToInt()) {
                throw new CniError(CniError.INVALID_CONFIG, "invalid portMappings entry " + Shown.of(m.toString())
                        + ": hostPort and containerPort are numbers");
            }
            Map<String, Object> port = new LinkedHashMap<>();
            String hostIp = m.path("hostIP").asText("");
            if (!hostIp.isEmpty()) {
                port.put("hostIp", hostIp);
            }
            port.put("hostPort", m.path("hostPort").asInt());
            port.put("containerPort", m.path("containerPort").asInt());
            port.put("protocol", m.path("protocol").asText("tcp").toLowerCase(java.util.Locale.ROOT));
            ports.add(port);
        }
        return ports;
    }

    private static String quoted(String value) {
        return "\"" + Shown.of(value) + "\"";
    }
}
