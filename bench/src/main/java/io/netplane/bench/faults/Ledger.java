package io.netplane.bench.faults;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntPredicate;

/**
 * What the clients of a fault run were told: every call with its outcome, and for each container
 * what its client knows of it. A call that got no answer leaves its container uncertain: its client
 * stops using it, and the audit only asks that it be whole or absent.
 */
final class Ledger {

    enum Outcome { ACKNOWLEDGED, REFUSED, NO_ANSWER }

    /** One call: when it ended, by which client, what it was, and what came back. */
    record Call(long endedNanos, int client, String what, Outcome outcome, int status, String message) {
    }

    /** One container as its client knows it; written by that client only, read once the run has ended. */
    static final class Fate {
        final String name;
        String id;
        boolean exists;
        boolean uncertain;
        final Set<String> networks = new TreeSet<>();

        Fate(String name) {
            this.name = name;
        }
    }

    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, Fate> fates = new ConcurrentHashMap<>();

    Fate track(String name) {
        Fate f = new Fate(name);
        fates.put(name, f);
        return f;
    }

    void record(int client, String what, Outcome outcome, int status, String message) {
        calls.add(new Call(System.nanoTime(), client, what, outcome, status, message));
    }

    Collection<Fate> fates() {
        return fates.values();
    }

    long count(Outcome outcome) {
        return calls.stream().filter(c -> c.outcome() == outcome).count();
    }

    long calls() {
        return calls.size();
    }

    /** Refusals a person could not act on: an error status without the API's "message". */
    List<Call> refusalsWithoutMessage() {
        List<Call> out = new ArrayList<>();
        for (Call c : calls) {
            if (c.outcome() == Outcome.REFUSED && (c.message() == null || c.message().isBlank())) {
                out.add(c);
            }
        }
        return out;
    }

    List<Call> unanswered() {
        return calls.stream().filter(c -> c.outcome() == Outcome.NO_ANSWER).toList();
    }

    /** When the first call of one of {@code clients} was acknowledged after {@code sinceNanos}. */
    Optional<Long> firstAcknowledgedAfter(long sinceNanos, IntPredicate clients) {
        return calls.stream()
                .filter(c -> c.outcome() == Outcome.ACKNOWLEDGED && c.endedNanos() > sinceNanos && clients.test(c.client()))
                .map(Call::endedNanos).min(Long::compare);
    }
}
