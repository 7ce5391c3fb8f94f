package io.netplane.nat.rules;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The difference between two documents of {@link RulesetCompiler} as an iptables-restore
 * {@code --noflush} document that rewrites only the chains whose rules changed: each is declared
 * (which flushes it) and refilled; a chain the new document no longer has is flushed and deleted
 * ({@code -X}) after the chains that jumped to it were rewritten without the jump.
 *
 * <p>Why whole chains rather than {@code -D n} / {@code -I n} lines: deleting one rule makes
 * iptables-nft read the whole chain back from the kernel to find it (about 100 ms for a chain of
 * 10,000 rules), while a declared chain is flushed without being read. The compiler keeps chains
 * small (the DNAT rules are split into chains of {@value RulesetCompiler#PORTS_PER_CHAIN} host ports),
 * so one published port costs one small chain. Applying the same delta twice leaves the same rules.
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
        StringBuilder deleted = new StringBuilder();
        after.forEach((chain, lines) -> {
            if (!Objects.equals(before.get(chain), lines)) {
                declared.append(':').append(chain).append(" - [0:0]\n");
                rules.append(lines);
            }
        });
        before.keySet().stream().filter(chain -> !after.containsKey(chain)).forEach(chain -> {
            declared.append(':').append(chain).append(" - [0:0]\n");
            deleted.append("-X ").append(chain).append('\n');
        });
        if (!declared.isEmpty()) {
            out.append('*').append(table).append('\n').append(declared).append(rules).append(deleted)
                    .append("COMMIT\n");
        }
    }
}
