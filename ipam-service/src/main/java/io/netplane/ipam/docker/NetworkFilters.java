package io.netplane.ipam.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.netplane.events.codec.EventJson;
import io.netplane.ipam.core.IpamException;
import io.netplane.ipam.core.Network;
import io.netplane.ipam.service.IpamService.NetworkDetails;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker's {@code GET /networks?filters=} : a JSON map from filter name to values, either
 * {"name":{"x":true}} or the older {"name":["x"]}. Values of one filter are ORed, filters ANDed.
 * name matches a substring, id a prefix, as Docker does.
 */
public final class NetworkFilters {

    private static final Set<String> KNOWN = Set.of("name", "id", "driver", "scope", "type", "label", "dangling");

    private final Map<String, List<String>> filters;

    private NetworkFilters(Map<String, List<String>> filters) {
        this.filters = filters;
    }

    public static NetworkFilters parse(String json) {
        Map<String, List<String>> filters = new HashMap<>();
        if (json == null || json.isBlank()) {
            return new NetworkFilters(filters);
        }
        JsonNode root;
        try {
            root = EventJson.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw IpamException.badRequest("invalid filter: the filters parameter is not JSON: " + json);
        }
        root.fields().forEachRemaining(f -> {
            if (!KNOWN.contains(f.getKey())) {
                throw IpamException.badRequest("invalid filter '" + f.getKey() + "'");
            }
            List<String> values = new ArrayList<>();
            if (f.getValue().isArray()) {
                f.getValue().forEach(v -> values.add(v.asText()));
            } else {
                f.getValue().fields().forEachRemaining(v -> values.add(v.getKey()));
            }
            filters.put(f.getKey(), values);
        });
        return new NetworkFilters(filters);
    }

    public boolean isEmpty() {
        return filters.isEmpty();
    }

    public boolean matches(NetworkDetails d) {
        Network n = d.network();
        return any("name", v -> n.name().contains(v)) && any("id", v -> n.id().startsWith(v))
                && any("driver", v -> n.driver().equals(v)) && any("scope", v -> n.scope().equals(v))
                && any("type", v -> DockerJson.type(n).equals(v))
                && any("dangling", v -> Boolean.parseBoolean(v) == d.endpoints().isEmpty() && !n.predefined())
                && all("label", v -> label(n, v));
    }

    private static boolean label(Network n, String filter) {
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return n.labels().containsKey(filter);
        }
        return filter.substring(eq + 1).equals(n.labels().get(filter.substring(0, eq)));
    }

    private boolean any(String name, java.util.function.Predicate<String> test) {
        List<String> values = filters.get(name);
        return values == null || values.stream().anyMatch(test);
    }

    private boolean all(String name, java.util.function.Predicate<String> test) {
        List<String> values = filters.get(name);
        return values == null || values.stream().allMatch(test);
    }
}
