package io.netplane.nat.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ruleset document chain by chain: per table, each declared chain with its rule lines
 * ("-A chain ...", each ending in a newline) as one block of text, in document order. The compiler
 * builds it and renders the document from it; {@link #parse} reads a document back in one pass with
 * one string per chain, so comparing two documents of 10,000 rules costs a few string comparisons
 * rather than 10,000 parsed lines.
 */
public final class RulesetDocument {

    private final Map<String, Map<String, String>> tables;

    /** table → chain → its "-A" lines, both in document order. */
    RulesetDocument(Map<String, Map<String, String>> tables) {
        this.tables = tables;
    }

    public static RulesetDocument parse(String document) {
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
        return new RulesetDocument(tables);
    }

    /** The iptables-restore text: per table its chain declarations, then each chain's rules. */
    public String render() {
        int size = 64;
        for (Map<String, String> chains : tables.values()) {
            for (Map.Entry<String, String> chain : chains.entrySet()) {
                size += chain.getKey().length() + chain.getValue().length() + 12;
            }
        }
        StringBuilder doc = new StringBuilder(size);
        tables.forEach((table, chains) -> {
            doc.append('*').append(table).append('\n');
            chains.keySet().forEach(chain -> doc.append(':').append(chain).append(" - [0:0]\n"));
            chains.values().forEach(doc::append);
            doc.append("COMMIT\n");
        });
        return doc.toString();
    }

    /** Table names in document order. */
    public List<String> tables() {
        return List.copyOf(tables.keySet());
    }

    /** Chain → its "-A" lines, in document order; empty if the table is absent. */
    public Map<String, String> chains(String table) {
        return tables.getOrDefault(table, Map.of());
    }

    /** Every declared chain as "table chain", in document order. */
    public List<String> declaredChains() {
        List<String> all = new ArrayList<>();
        tables.forEach((table, chains) -> chains.keySet().forEach(chain -> all.add(table + " " + chain)));
        return all;
    }
}
