package io.netplane.bench.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * What the audits of one fault run found: changes lost, changes made twice, and anything else
 * wrong (a refusal without a message, something half-made). Keeps the first few of each as examples.
 */
final class Verdict {

    private static final int EXAMPLES = 10;

    private long losses;
    private long duplicates;
    private long others;
    private final List<String> examples = new ArrayList<>();

    synchronized void lost(String what) {
        losses++;
        example("lost: " + what);
    }

    synchronized void duplicated(String what) {
        duplicates++;
        example("twice: " + what);
    }

    synchronized void wrong(String what) {
        others++;
        example(what);
    }

    synchronized long losses() {
        return losses;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized boolean clean() {
        return losses == 0 && duplicates == 0 && others == 0;
    }

    synchronized List<String> examples() {
        return List.copyOf(examples);
    }

    private void example(String what) {
        if (examples.size() < EXAMPLES) {
            examples.add(what);
        }
    }
}
