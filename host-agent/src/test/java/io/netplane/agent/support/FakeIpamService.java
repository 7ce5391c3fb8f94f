package io.netplane.agent.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netplane.events.NetworkCreated;
import io.netplane.events.model.IpamConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for ipam-service with only the calls and answer shapes the plugin uses, for unit
 * checks of the protocol (the real service is tested in ipam-service's RuntimeEndpointApiTest).
 * Records every request as "METHOD path body". {@code stall} makes it never answer.
 */
public final class FakeIpamService implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    public final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    public final Map<String, ObjectNode> networks = Collections.synchronizedMap(new LinkedHashMap<>());
    public final Map<String, ObjectNode> containers = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger hosts = new AtomicInteger(1);
    public volatile boolean stall;
    private final HttpServer server;

    public FakeIpamService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-ipam");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public ObjectNode addNetwork(String name, String driver, String subnet) {
        String id = String.format("%064x", ids.incrementAndGet());
        String prefix = subnet.substring(0, subnet.lastIndexOf('.'));
        ObjectNode n = JSON.createObjectNode().put("id", id).put("name", name).put("driver", driver)
                .put("internal", false).put("mtu", "overlay".equals(driver) ? 1450 : 1500);
        n.putArray("ipam").addObject().put("subnet", subnet).put("gateway", prefix + ".1").putObject("auxAddresses");
        networks.put(id, n);
        return n;
    }

    /** The networks as the agents' desired state has them (NetworkCreated), for the engine sync. */
    public List<NetworkCreated> asDesired() {
        synchronized (networks) {
            return networks.values().stream().map(n -> {
                JsonNode ipam = n.path("ipam").path(0);
                return new NetworkCreated(n.get("id").asText(), 1, Instant.now(), NetworkCreated.SCHEMA_VERSION,
                        n.get("name").asText(), n.get("driver").asText(), "local", n.path("internal").asBoolean(), false,
                        false, false, List.of(new IpamConfig(ipam.path("subnet").asText(), null,
                                ipam.path("gateway").asText(), Map.of())), Map.of(), Map.of(), null,
                        n.path("mtu").asInt(), true, Instant.now());
            }).toList();
        }
    }

    private ObjectNode find(String ref) {
        synchronized (networks) {
            return networks.values().stream().filter(n -> n.get("id").asText().equals(ref)
                    || n.get("name").asText().equals(ref)).findFirst().orElse(null);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = x.getRequestURI().getPath();
        String method = x.getRequestMethod();
        requests.add(method + " " + x.getRequestURI() + (body.isEmpty() ? "" : " " + body));
        if (stall) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        JsonNode in = body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
        String[] p = path.split("/");
        try {
            if (path.equals("/v1/networks") && method.equals("GET")) {
                ArrayNode all = JSON.createArrayNode();
                networks.values().forEach(all::add);
                reply(x, 200, all);
            } else if (path.equals("/v1/networks") && method.equals("POST")) {
                String subnet = in.path("ipam").path(0).path("subnet").asText("10.99." + hosts.getAndIncrement() + ".0/24");
                synchronized (networks) {
                    for (ObjectNode n : networks.values()) {
                        if (n.path("ipam").path(0).path("subnet").asText().equals(subnet)) {
                            reply(x, 409, error("Pool overlaps with other one on this address space"));
                            return;
                        }
                    }
                }
                reply(x, 201, addNetwork(in.get("name").asText(), in.path("driver").asText("bridge"), subnet));
            } else if (p.length == 4 && p[2].equals("networks")) {
                ObjectNode n = find(p[3]);
                if (n == null) {
                    reply(x, 404, error("network " + p[3] + " not found"));
                } else if (method.equals("GET")) {
                    ObjectNode out = JSON.createObjectNode();
                    out.set("network", n);
                    out.putArray("endpoints");
                    reply(x, 200, out);
                } else if (method.equals("PATCH")) {
                    in.fields().forEachRemaining(f -> {
                        switch (f.getKey()) {
                            case "gateway" -> ((ObjectNode) n.path("ipam").path(0)).set("gateway", f.getValue());
                            case "auxAddresses" -> ((ObjectNode) n.path("ipam").path(0)).set("auxAddresses", f.getValue());
                            default -> n.set(f.getKey(), f.getValue());
                        }
                        if (f.getKey().equals("driver")) {
                            n.put("mtu", "overlay".equals(f.getValue().asText()) ? 1450 : 1500);
                        }
                    });
                    reply(x, 200, n);
                } else if (method.equals("DELETE")) {
                    networks.remove(n.get("id").asText());
                    reply(x, 204, null);
                }
            } else if (path.equals("/v1/containers") && method.equals("POST")) {
                JsonNode net = in.path("networks").path(0);
                ObjectNode n = find(net.path("network").asText());
                if (n == null) {
                    reply(x, 404, error("network " + net.path("network").asText() + " not found"));
                    return;
                }
                String subnet = n.path("ipam").path(0).path("subnet").asText();
                String address = net.path("ipv4Address").asText(
                        subnet.substring(0, subnet.lastIndexOf('.')) + "." + (10 + ids.incrementAndGet()));
                int seq = ids.incrementAndGet();
                ObjectNode c = JSON.createObjectNode().put("id", String.format("%064x", seq))
                        .put("name", in.get("name").asText());
                c.putArray("endpoints").addObject().put("id", String.format("e%063x", seq))
                        .put("networkId", n.path("id").asText()).put("networkName", n.path("name").asText())
                        .put("ipv4Address", address + subnet.substring(subnet.indexOf('/')))
                        .put("macAddress", String.format("02:42:0a:63:00:%02x", seq % 256));
                containers.put(c.get("name").asText(), c);
                reply(x, 201, c);
            } else if (p.length == 4 && p[2].equals("containers")) {
                ObjectNode c = containers.get(p[3]);
                if (c == null) {
                    reply(x, 404, error("No such container: " + p[3]));
                } else if (method.equals("DELETE")) {
                    containers.remove(p[3]);
                    reply(x, 204, null);
                } else {
                    reply(x, 200, c);
                }
            } else if (p.length == 5 && p[2].equals("endpoints") && p[4].equals("container") && method.equals("PUT")) {
                // as ipam-service does: the endpoint moves to the engine's container, the placeholder goes
                synchronized (containers) {
                    ObjectNode holder = containers.values().stream().filter(c -> c.path("endpoints").path(0)
                            .path("id").asText().equals(p[3])).findFirst().orElse(null);
                    if (holder == null) {
                        reply(x, 404, error("endpoint " + p[3] + " not found"));
                        return;
                    }
                    containers.values().remove(holder);
                    holder.put("name", in.path("name").asText()).put("id", in.path("id").asText());
                    containers.put(in.path("id").asText(), holder);
                }
                reply(x, 200, JSON.createObjectNode());
            } else if (p.length == 5 && p[2].equals("endpoints") && method.equals("PUT")) {
                reply(x, 200, JSON.createObjectNode());
            } else {
                reply(x, 404, error("no route " + method + " " + path));
            }
        } catch (RuntimeException e) {
            reply(x, 500, error(e.toString()));
        }
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("message", message);
    }

    private static void reply(HttpExchange x, int status, JsonNode body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
