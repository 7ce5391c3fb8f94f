package io.netplane.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The calls a client of ipam-service's REST API makes in the fault suite. An answer is whatever the
 * service said; an {@link IOException} means no answer came (the process died, or the timeout ran out).
 */
final class IpamApi {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What the service answered: its status, its body parsed (null when not JSON). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** The refusal's "message", the body every error of the API carries; null if it has none. */
        String message() {
            return body == null || !body.path("message").isTextual() ? null : body.path("message").textValue();
        }
    }

    private IpamApi() {
    }

    static Answer createNetwork(String api, String name) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(api + "/v1/networks")).POST(json(Map.of("name", name,
                "driver", "bridge"))));
    }

    /** A container on {@code host} joining {@code network}, publishing container port 80 on a free host port if asked. */
    static Answer createContainer(String api, String name, String host, String network, boolean publish)
            throws IOException {
        Map<String, Object> spec = publish
                ? Map.of("name", name, "hostId", host, "networks", List.of(Map.of("network", network)),
                        "ports", List.of(Map.of("containerPort", 80, "protocol", "tcp")))
                : Map.of("name", name, "hostId", host, "networks", List.of(Map.of("network", network)));
        return send(HttpRequest.newBuilder(URI.create(api + "/v1/containers")).POST(json(spec)));
    }

    static Answer connect(String api, String containerId, String network) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(api + "/v1/containers/" + containerId + "/networks"))
                .POST(json(Map.of("network", network))));
    }

    static Answer disconnect(String api, String containerId, String network) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(api + "/v1/containers/" + containerId + "/networks/" + network))
                .DELETE());
    }

    static Answer remove(String api, String containerId) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(api + "/v1/containers/" + containerId)).DELETE());
    }

    /** GET of any JSON resource (dns-service's records too); the same answer rules. */
    static Answer get(String url) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private static HttpRequest.BodyPublisher json(Object body) throws IOException {
        return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
    }

    private static Answer send(HttpRequest.Builder request) throws IOException {
        HttpResponse<String> r;
        try {
            r = HTTP.send(request.timeout(TIMEOUT).header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        JsonNode body = null;
        if (r.body() != null && !r.body().isBlank()) {
            try {
                body = JSON.readTree(r.body());
            } catch (IOException notJson) {
                body = null;
            }
        }
        return new Answer(r.statusCode(), body);
    }
}
