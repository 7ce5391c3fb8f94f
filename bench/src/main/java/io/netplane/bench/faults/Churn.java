package io.netplane.bench.faults;

import io.netplane.bench.faults.IpamApi.Answer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The load of a fault run: {@code clients} threads, each making containers on one host and taking
 * them through their life (create on the first network, connect to the second, disconnect, remove)
 * against ipam-service's API, one call at a time, until stopped. Client i talks to
 * {@code apis[i % apis.size()]}; {@link #redirect} sends one API's clients elsewhere, as a load
 * balancer does once a process is gone.
 */
final class Churn {

    /** Where the containers go: host id, container name prefix, the two networks, whether they publish a port. */
    record Shape(String host, String prefix, String network, String secondNetwork, boolean publish) {
    }

    private final Shape shape;
    private final List<String> apis;
    private final Ledger ledger;
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private Churn(Shape shape, List<String> apis, Ledger ledger) {
        this.shape = shape;
        this.apis = List.copyOf(apis);
        this.ledger = ledger;
    }

    static Churn start(Shape shape, int clients, List<String> apis, Ledger ledger) {
        Churn churn = new Churn(shape, apis, ledger);
        for (int i = 0; i < clients; i++) {
            int client = i;
            Thread t = new Thread(() -> churn.loop(client), "churn-" + shape.prefix() + i);
            churn.threads.add(t);
            t.start();
        }
        return churn;
    }

    int clientsOf(String api) {
        return (int) java.util.stream.IntStream.range(0, threads.size()).filter(i -> talksTo(i, api)).count();
    }

    boolean talksTo(int client, String api) {
        return apis.get(client % apis.size()).equals(api);
    }

    void redirect(String from, String to) {
        redirects.put(from, to);
    }

    /** Lets every client finish the call it is in, then returns. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join();
        }
    }

    private String api(int client) {
        String own = apis.get(client % apis.size());
        return redirects.getOrDefault(own, own);
    }

    private void loop(int client) {
        for (int k = 0; running; k++) {
            Ledger.Fate fate = ledger.track(shape.prefix() + client + "-" + k);
            Answer created = call(client, "create", fate,
                    () -> IpamApi.createContainer(api(client), fate.name, shape.host(), shape.network(), shape.publish()));
            if (created == null || !created.ok()) {
                continue;
            }
            fate.id = created.body().path("id").asText();
            fate.exists = true;
            fate.networks.add(shape.network());
            Answer connected = call(client, "connect", fate,
                    () -> IpamApi.connect(api(client), fate.id, shape.secondNetwork()));
            if (connected == null) {
                continue;
            }
            if (connected.ok()) {
                fate.networks.add(shape.secondNetwork());
                Answer disconnected = call(client, "disconnect", fate,
                        () -> IpamApi.disconnect(api(client), fate.id, shape.secondNetwork()));
                if (disconnected == null) {
                    continue;
                }
                if (disconnected.ok()) {
                    fate.networks.remove(shape.secondNetwork());
                }
            }
            Answer removed = call(client, "remove", fate, () -> IpamApi.remove(api(client), fate.id));
            if (removed != null && removed.ok()) {
                fate.exists = false;
                fate.networks.clear();
            }
        }
    }

    @FunctionalInterface
    private interface Request {
        Answer send() throws IOException;
    }

    /** The answer, recorded; null when none came, which leaves the container uncertain. */
    private Answer call(int client, String what, Ledger.Fate fate, Request request) {
        try {
            Answer a = request.send();
            ledger.record(client, what + " " + fate.name, a.ok() ? Ledger.Outcome.ACKNOWLEDGED : Ledger.Outcome.REFUSED,
                    a.status(), a.message());
            return a;
        } catch (IOException e) {
            fate.uncertain = true;
            ledger.record(client, what + " " + fate.name, Ledger.Outcome.NO_ANSWER, 0, e.toString());
            return null;
        }
    }
}
