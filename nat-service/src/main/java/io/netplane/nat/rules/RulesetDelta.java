package io.netplane.nat.rules;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The difference between two documents of {@link RulesetCompiler} as an iptables-restore
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
 * inserts does not. The compiler keeps chains small (the DNAT rules are split into chains of
 * {@value RulesetCompiler#PORTS_PER_CHAIN} host ports), so a published port added costs a few
 * inserts and one removed costs one small chain rewritten. A delta that removes applied twice leaves
 * the same rules; one that inserts is meant for the document it was computed from.
 */
public final class RulesetDelta {

    private RulesetDelta() {
    }

    /** Empty when the documents declare the same rules. */
    public static String between(String oldDocument, String newDocument) {
        return between(RulesetDocument.parse(oldDocument), RulesetDocument.parse(newDocument));
    }

    /** The same from two compiled rulesets: no text is read again, equal chains cost one comparison. */
    public static String between(Ruleset old, Ruleset now) {
        return between(old.byChain(), now.byChain());
    }

    private static String between(RulesetDocument before, RulesetDocument after) {
        Set<String> tables = new LinkedHashSet<>(after.tables());
        tables.addAll(before.tables());
        StringBuilder delta = new StringBuilder();
        for (String table : tables) {
            tableDelta(table, before.chains(table), after.chains(table), delta);
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
