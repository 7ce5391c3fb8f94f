package io.netplane.ipam.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netplane.edge.ServiceClientTls;
import io.netplane.ipam.address.Ipv4;
import io.netplane.ipam.core.Container;
import io.netplane.ipam.core.Endpoint;
import io.netplane.ipam.core.IpamException;
import io.netplane.ipam.core.PortReservations;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Books a container's host ports with nat-service (PUT /v1/hosts/{host}/reservations/{endpoint})
 * inside the transaction that creates it: a refusal becomes the request's answer in nat's words,
 * no answer within the timeout a 503, and if the transaction then rolls back the booking is
 * released (nat-service also drops bookings never followed by their event). Without
 * {@code netplane.ipam.nat-url} nothing is booked ahead and taken ports show only in nat's API. An
 * https address is called with the client certificate of {@link ServiceClientTls}.
 */
@ApplicationScoped
public class NatPortReservations implements PortReservations {

    private static final Logger LOG = Logger.getLogger(NatPortReservations.class);

    @ConfigProperty(name = "netplane.ipam.nat-url")
    Optional<String> natUrl;

    @ConfigProperty(name = "netplane.ipam.nat-timeout", defaultValue = "PT3S")
    Duration timeout;

    @Inject
    ObjectMapper json;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    ServiceClientTls clientTls;

    private HttpClient http;

    /** A nat-url that cannot be called (https without a client certificate) stops the service at start, not at the first booking. */
    void checkAtStart(@Observes StartupEvent ev) {
        if (natUrl.isPresent()) {
            client();
        }
    }

    /** Whether bookings are made at all (nat-service's address is configured). */
    public boolean enabled() {
        return natUrl.isPresent();
    }

    @Override
    public void reserve(Container k, Endpoint e) {
        if (natUrl.isEmpty()) {
            return;
        }
        URI uri = uri(k, e);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("networkId", e.networkId());
        body.put("containerId", k.id());
        body.put("containerName", k.name());
        body.put("containerIp", e.ipv4() == null ? null : Ipv4.format(e.ipv4()));
        body.put("ports", k.ports());
        body.put("exposedPorts", k.exposedPorts());
        body.put("publishAllPorts", k.publishAllPorts());
        HttpResponse<String> answer;
        try {
            answer = client().send(HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException ex) {
            throw unavailable("could not be reached (" + ex.getClass().getSimpleName()
                    + (ex.getMessage() == null ? "" : ": " + ex.getMessage()) + ")");
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw unavailable("was not answered: interrupted");
        }
        int status = answer.statusCode();
        if (status == 200) {
            releaseIfRolledBack(uri);
            return;
        }
        if (status == 400 || status == 409) {
            throw new IpamException(status, message(answer.body()));
        }
        throw unavailable("answered " + status + " " + message(answer.body()));
    }

    private URI uri(Container k, Endpoint e) {
        String base = natUrl.orElseThrow();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/hosts/"
                + k.hostId() + "/reservations/" + e.id());
    }

    /** After a rollback nobody will send the endpoint's event: give the ports back now. */
    private void releaseIfRolledBack(URI uri) {
        if (transactions.getTransactionKey() == null) {
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status != Status.STATUS_COMMITTED) {
                    client().sendAsync(HttpRequest.newBuilder(uri).timeout(timeout).DELETE().build(),
                            HttpResponse.BodyHandlers.discarding())
                            .whenComplete((r, ex) -> {
                                if (ex != null || r.statusCode() != 204) {
                                    LOG.warnf("releasing %s failed (%s); nat-service drops it after its TTL", uri,
                                            ex != null ? ex.toString() : "status " + r.statusCode());
                                }
                            });
                }
            }
        });
    }

    private IpamException unavailable(String why) {
        return new IpamException(503, "nat-service at " + natUrl.orElseThrow() + " " + why
                + " while booking the container's published ports: the container was not created; try again "
                + "once nat-service is up");
    }

    private String message(String body) {
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.path("message").isTextual()) {
                return node.path("message").textValue();
            }
        } catch (IOException ignored) {
            // not JSON: shown as it came, cut short
        }
        return body == null ? "" : body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }

    private synchronized HttpClient client() {
        if (http == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
            clientTls.forTarget(URI.create(natUrl.orElseThrow()), "netplane.ipam.nat-url").ifPresent(builder::sslContext);
            http = builder.build();
        }
        return http;
    }
}
