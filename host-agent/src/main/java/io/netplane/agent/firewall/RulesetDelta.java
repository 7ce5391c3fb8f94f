package io.netplane.agent.firewall;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The difference between two ruleset documents of nat-service as an iptables-restore
 * {@code --noflush} document that touches only the chains whose rules changed:
 * <ul>
 * <li>a chain that only gained rules gets them inserted at their places ({@code -I chain n});</li>
 * <li>any other changed chain is declared (which flushes it) and refilled;</li>
 * <li>a chain the new document no longer has is flushed and deleted ({@code -X}), after the chains
 * that jumped to it were rewritten without the jump.</li>
 * </ul>
 *
 * <p>Why: deleting a rule by number or by spec makes iptables-nft read the whole chain back from the
 * kernel (about 100 ms for a chain of 10,000 rules), while a declared chain is flushed without being
 * read; and any transaction that deletes rules waits, when iptables exits, for the kernel to free
 * them after an RCU grace period (about 10 ms on a loaded machine), which a transaction that only
 * inserts does not. nat-service keeps chains small (the DNAT rules are split into chains of 100 host
 * ports), so a published port added costs a few inserts and one removed costs one small chain
 * rewritten. A delta that removes applied twice leaves the same rules; one that inserts is meant for
 * the document it was computed from. Each document is read in one pass with one string per chain
 * ({@link Chains}), so two documents of 10,000 rules cost a few string comparisons rather than
 * 10,000 parsed lines.
 */
public final class RulesetDelta {

    private RulesetDelta() {
    }

    /**
     * A document read chain by chain: table → chain → its "-A" lines (each ending in a newline) as
     * one block, both in document order. The agent keeps the one it applied last, so a new revision
     * costs one document read rather than two.
     */
    public record Chains(Map<String, Map<String, String>> tables) {

        public static Chains of(String document) {
            Map<String, Map<String, StringBuilder>> building = new LinkedHashMap<>();
            Map<String, StringBuilder> chains = null;
            int at = 0;
            while (at < document.length()) {
                int end = document.indexOf('\n', at);
                end = end < 0 ? document.length() : end;
                if (chains != null && document.startsWith("-A ", at)) {
                    int space = document.indexOf(' ', at + 3);
                    chains.computeIfAbsent(document.substring(at + 3, space), c -> new StringBuilder())
                            .append(document, at, end).append('\n');
                } else if (chains != null && document.startsWith(":", at)) {
                    chains.putIfAbsent(document.substring(at + 1, document.indexOf(' ', at)), new StringBuilder());
                } else if (document.startsWith("*", at)) {
                    chains = building.computeIfAbsent(document.substring(at + 1, end), t -> new LinkedHashMap<>());
                }
                at = end + 1;
            }
            Map<String, Map<String, String>> tables = new LinkedHashMap<>();
            building.forEach((table, blocks) -> {
                Map<String, String> texts = new LinkedHashMap<>();
                blocks.forEach((chain, rules) -> texts.put(chain, rules.toString()));
                tables.put(table, texts);
            });
            return new Chains(tables);
        }
    }

    /** Empty when the documents declare the same rules. */
    public static String between(String oldDocument, String newDocument) {
        return between(Chains.of(oldDocument), Chains.of(newDocument));
    }

    public static String between(Chains before, Chains after) {
        Set<String> tables = new LinkedHashSet<>(after.tables().keySet());
        tables.addAll(before.tables().keySet());
        StringBuilder delta = new StringBuilder();
        for (String table : tables) {
            tableDelta(table, before.tables().getOrDefault(table, Map.of()), after.tables().getOrDefault(table, Map.of()),
                    delta);
        }
        return delta.toString();
    }

    private static void tableDelta(String table, Map<String, String> before, Map<String, String> after,
            StringBuilder out) {
        StringBuilder declared = new StringBuilder();
        StringBuilder rules = new StringBuilder();
        StringBuilder inserted = new StringBuilder();
        StringBuilder deleted = new StringBuilder();
        after.forEach((chain, lines) -> {
            String old = before.get(chain);
            if (Objects.equals(old, lines)) {
                return;
            }
            if (old == null || !inserts(chain, old, lines, inserted)) {
                declared.append(':').append(chain).append(" - [0:0]\n");
                rules.append(lines);
            }
        });
        before.keySet().stream().filter(chain -> !after.containsKey(chain)).forEach(chain -> {
            declared.append(':').append(chain).append(" - [0:0]\n");
            deleted.append("-X ").append(chain).append('\n');
        });
        if (!declared.isEmpty() || !inserted.isEmpty()) {
            out.append('*').append(table).append('\n').append(declared).append(rules).append(inserted)
                    .append(deleted).append("COMMIT\n");
        }
    }

    /**
     * Writes "-I chain n rule" for each rule of {@code now} that {@code old} lacks, in ascending
     * position so each lands at its final place; false (nothing written) if {@code old} is not
     * {@code now} with rules taken out.
     */
    private static boolean inserts(String chain, String old, String now, StringBuilder out) {
        List<String> o = old.lines().toList();
        List<String> n = now.lines().toList();
        StringBuilder lines = new StringBuilder();
        int kept = 0;
        String prefix = "-A " + chain + " ";
        for (int i = 0; i < n.size(); i++) {
            if (kept < o.size() && o.get(kept).equals(n.get(i))) {
                kept++;
            } else {
                lines.append("-I ").append(chain).append(' ').append(i + 1).append(' ')
                        .append(n.get(i), prefix.length(), n.get(i).length()).append('\n');
            }
        }
        if (kept < o.size()) {
            return false;
        }
        out.append(lines);
        return true;
    }
}
