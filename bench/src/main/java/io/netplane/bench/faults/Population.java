package io.netplane.bench.faults;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Containers made ahead of a fault and left in place ({@code HOST-c0}, {@code HOST-c1}, ... on one
 * network), by a few concurrent clients, each answer written down in the ledger; a refusal is wrong
 * here, as nothing is broken yet.
 */
final class Population {

    private Population() {
    }

    static void make(String api, String host, String network, int count, int clients, boolean publish,
            Ledger ledger, Verdict verdict) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Ledger.Fate fate = ledger.track(host + "-c" + i);
                done.add(pool.submit(() -> {
                    create(api, fate, host, network, publish, ledger, verdict);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void create(String api, Ledger.Fate fate, String host, String network, boolean publish,
            Ledger ledger, Verdict verdict) throws IOException {
        IpamApi.Answer a = IpamApi.createContainer(api, fate.name, host, network, publish);
        ledger.record(0, "create " + fate.name, a.ok() ? Ledger.Outcome.ACKNOWLEDGED : Ledger.Outcome.REFUSED,
                a.status(), a.message());
        if (a.ok()) {
            fate.id = a.body().path("id").asText();
            fate.exists = true;
            fate.networks.add(network);
        } else {
            verdict.wrong("could not create " + fate.name + ": " + a.status() + " " + a.message());
        }
    }
}
