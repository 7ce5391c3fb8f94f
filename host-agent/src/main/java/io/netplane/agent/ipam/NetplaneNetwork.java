package io.netplane.agent.ipam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the agent's plugins read of one ipam-service network view (its first IPv4 pool). */
public record NetplaneNetwork(String id, String name, String driver, boolean internal, String subnet, String gateway,
        Map<String, String> auxAddresses, int mtu) {

    public static NetplaneNetwork of(JsonNode view) {
        JsonNode ipam = view.path("ipam").path(0);
        Map<String, String> aux = new LinkedHashMap<>();
        ipam.path("auxAddresses").fields().forEachRemaining(f -> aux.put(f.getKey(), f.getValue().asText()));
        return new NetplaneNetwork(view.path("id").asText(), view.path("name").asText(), view.path("driver").asText(),
                view.path("internal").asBoolean(), ipam.path("subnet").asText(null), ipam.path("gateway").asText(null),
                aux, view.path("mtu").asInt(0));
    }

    public int prefixLength() {
        if (subnet == null || !subnet.contains("/")) {
            throw new IllegalStateException("netplane network " + name + " has no IPv4 subnet: Docker needs one");
        }
        return Integer.parseInt(subnet.substring(subnet.indexOf('/') + 1));
    }

    /** The gateway as Docker wants it: CIDR. */
    public String gatewayCidr() {
        if (gateway == null || gateway.isEmpty()) {
            throw new IllegalStateException("netplane network " + name + " has no gateway: Docker needs one");
        }
        return gateway + "/" + prefixLength();
    }

    /** The veth MTU: the network's, or 1450 on an overlay (VXLAN's 50 bytes), 1500 on a bridge. */
    public int vethMtu() {
        return mtu > 0 ? mtu : "overlay".equals(driver) ? 1450 : 1500;
    }
}
