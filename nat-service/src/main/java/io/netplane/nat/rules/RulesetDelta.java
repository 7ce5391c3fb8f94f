package io.netplane.nat.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The difference between two documents of {@link RulesetCompiler} as an iptables-restore
 * {@code --noflush} document of {@code -D chain position} and {@code -I chain position} lines, so that one
 * published port added or removed costs a few rules instead of rewriting every chain. Empty when
 * the documents differ in a way a delta cannot express (then apply the whole new document).
 */
public final class RulesetDelta {

    private RulesetDelta() {
    }

    public static Optional<String> between(String oldDocument, String newDocument) {
        Map<String, Map<String, List<String>>> before = parse(oldDocument);
        Map<String, Map<String, List<String>>> after = parse(newDocument);
        if (!sameChains(before, after)) {
            return Optional.empty();
        }
        StringBuilder delta = new StringBuilder();
        for (Map.Entry<String, Map<String, List<String>>> table : after.entrySet()) {
            StringBuilder lines = new StringBuilder();
            for (Map.Entry<String, List<String>> chain : table.getValue().entrySet()) {
                List<String> o = before.get(table.getKey()).get(chain.getKey());
                if (!chainDelta(chain.getKey(), o, chain.getValue(), lines)) {
                    return Optional.empty();
                }
            }
            if (!lines.isEmpty()) {
                delta.append('*').append(table.getKey()).append('\n').append(lines).append("COMMIT\n");
            }
        }
        return Optional.of(delta.toString());
    }

    /** Deletes, then inserts at their final positions; false if the kept rules changed order. */
    private static boolean chainDelta(String chain, List<String> o, List<String> n, StringBuilder out) {
        Map<String, Integer> inNew = counts(n);
        Map<String, Integer> inOld = counts(o);
        List<String> keptOld = new ArrayList<>();
        List<Integer> deletes = new ArrayList<>();
        for (int i = 0; i < o.size(); i++) {
            if (take(inNew, o.get(i))) {
                keptOld.add(o.get(i));
            } else {
                deletes.add(i + 1);
            }
        }
        List<String> keptNew = new ArrayList<>();
        List<String> inserts = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String rule = n.get(i);
            if (take(inOld, rule)) {
                keptNew.add(rule);
            } else {
                inserts.add("-I " + chain + " " + (i + 1) + " " + rule + "\n");
            }
        }
        if (!keptOld.equals(keptNew)) {
            return false;
        }
        // By position, last first so earlier ones do not move: iptables-nft deletes a numbered rule
        // without comparing the spec against every rule of the chain.
        for (int i = deletes.size() - 1; i >= 0; i--) {
            out.append("-D ").append(chain).append(' ').append(deletes.get(i)).append('\n');
        }
        inserts.forEach(out::append);
        return true;
    }

    private static Map<String, Integer> counts(List<String> rules) {
        Map<String, Integer> counts = new HashMap<>();
        rules.forEach(r -> counts.merge(r, 1, Integer::sum));
        return counts;
    }

    private static boolean take(Map<String, Integer> counts, String rule) {
        Integer left = counts.get(rule);
        if (left == null || left == 0) {
            return false;
        }
        counts.put(rule, left - 1);
        return true;
    }

    private static boolean sameChains(Map<String, Map<String, List<String>>> a, Map<String, Map<String, List<String>>> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.keySet().stream().allMatch(t -> a.get(t).keySet().equals(b.get(t).keySet()));
    }

    /** table → chain → rule specs (without "-A chain"), in document order. */
    private static Map<String, Map<String, List<String>>> parse(String document) {
        Map<String, Map<String, List<String>>> tables = new LinkedHashMap<>();
        Map<String, List<String>> chains = null;
        for (String line : document.split("\n")) {
            if (line.startsWith("*")) {
                chains = tables.computeIfAbsent(line.substring(1), t -> new LinkedHashMap<>());
            } else if (line.startsWith(":") && chains != null) {
                chains.put(line.substring(1, line.indexOf(' ')), new ArrayList<>());
            } else if (line.startsWith("-A ") && chains != null) {
                int space = line.indexOf(' ', 3);
                chains.computeIfAbsent(line.substring(3, space), c -> new ArrayList<>()).add(line.substring(space + 1));
            }
        }
        return tables;
    }
}
