package io.netplane.agent.ipam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * ipam-service's REST API, synchronously: Docker and CNI runtimes wait for the answer. Bounded:
 * 2 s to connect and 5 s per request, so an unreachable service is an
 * error the user sees at once, well before Docker's own 30 s retry. A 4xx/5xx answer becomes a
 * {@link ServiceError} carrying the service's own {@code message}, which the user reads unchanged;
 * no answer at all, a {@link Unreachable}.
 */
public final class IpamServiceClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The service answered with an error status; {@code getMessage()} is its message. */
    public static final class ServiceError extends RuntimeException {
        public final int status;

        public ServiceError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** No answer: the service is down, unreachable or too slow; the message says which and what to check. */
    public static final class Unreachable extends RuntimeException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final URI base;
    private final HttpClient http;

    public IpamServiceClient(URI base) {
        this(base, null);
    }

    /** {@code tls}: for an https {@code base}, the context presenting the agent's client certificate. */
    public IpamServiceClient(URI base, SSLContext tls) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    /** A path segment (an id, a name) made safe to put in a URL. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    JsonNode patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** The answer's JSON (an empty object for 204); throws ServiceError or Unreachable. */
    JsonNode send(String method, String path, Object body) {
        URI uri = URI.create(base + path);
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
        try {
            if (body == null) {
                req.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                req.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> res = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = res.body().length == 0 ? JSON.createObjectNode() : readOrText(res.body());
            if (res.statusCode() >= 400) {
                String message = json.path("message").asText("");
                throw new ServiceError(res.statusCode(), message.isEmpty()
                        ? "ipam-service answered " + res.statusCode() + " to " + method + " " + path : message);
            }
            return json;
        } catch (HttpTimeoutException e) {
            throw new Unreachable("netplane's ipam-service at " + base + " did not answer within "
                    + REQUEST_TIMEOUT.toSeconds() + " s (" + method + " " + path + "); check that it runs", e);
        } catch (IOException e) {
            throw new Unreachable("netplane's ipam-service at " + base + " is unreachable (" + e
                    + "); check that it runs and that netplane.agent.ipam-url is right", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while asking ipam-service", e);
        }
    }

    private static JsonNode readOrText(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", new String(body, StandardCharsets.UTF_8));
        }
    }
}
