package io.netplane.nat.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A ruleset document chain by chain: per table, each declared chain with its rule lines
 * ("-A chain ...", each ending in a newline) as one block of text, in document order. The compiler
 * builds it and renders the document from it.
 */
public final class RulesetDocument {

    private final Map<String, Map<String, String>> tables;

    /** table → chain → its "-A" lines, both in document order. */
    RulesetDocument(Map<String, Map<String, String>> tables) {
        this.tables = tables;
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

    /** Every chain a rendered document declares, as "table chain", in document order. */
    public static List<String> declaredChains(String document) {
        List<String> all = new ArrayList<>();
        String table = null;
        for (String line : document.lines().toList()) {
            if (line.startsWith("*")) {
                table = line.substring(1);
            } else if (line.startsWith(":")) {
                all.add(table + " " + line.substring(1, line.indexOf(' ')));
            }
        }
        return all;
    }

    /** Every declared chain as "table chain", in document order. */
    public List<String> declaredChains() {
        List<String> all = new ArrayList<>();
        tables.forEach((table, chains) -> chains.keySet().forEach(chain -> all.add(table + " " + chain)));
        return all;
    }
}
