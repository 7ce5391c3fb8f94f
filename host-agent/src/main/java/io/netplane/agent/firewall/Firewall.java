package io.netplane.agent.firewall;

import io.netplane.events.model.PortBinding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * netplane's firewall in one namespace. The whole ruleset document (which declares only
 * netplane's chains) is applied atomically with {@code iptables-restore --noflush}, which flushes
 * and refills those chains and leaves every other chain alone. Jumps from built-in chains are
 * checked with {@code -C} and added only when missing, so nothing is ever duplicated; jumps
 * and chains of netplane that are no longer wanted are removed. A new revision of the same jumps
 * is applied as its {@link RulesetDelta} from the document applied last in that namespace; the
 * whole document is the path after a restart and the repair of drift.
 */
public final class Firewall {

    public static final String CHAIN_PREFIX = "NETPLANE";
    private static final List<String> TABLES = List.of("nat", "filter");
    private static final List<String> RESTORE = List.of("iptables-restore", "--noflush");
    private static final Logger LOG = Logger.getLogger(Firewall.class);

    private final IptablesRunner runner;
    private final StaleConntrack conntrack;
    private final Map<Path, Applied> applied = new ConcurrentHashMap<>();

    /**
     * What was applied last in a namespace: the document (read chain by chain) and jumps, and
     * {@link #ownRules} as the whole document left them; null once a delta was applied, as its result
     * is not read back.
     */
    private record Applied(RulesetDelta.Chains document, List<String> jumps, String ownRules) {
    }

    public Firewall(IptablesRunner runner) {
        this.runner = runner;
        this.conntrack = new StaleConntrack(runner);
    }

    /** One jump from a built-in chain: "table chain rule-spec". */
    public record Jump(String table, String chain, List<String> spec) {
        public static Jump parse(String text) {
            String[] parts = text.trim().split("\\s+");
            if (parts.length < 4) {
                throw new IllegalArgumentException("jump must read \"table chain rule-spec\": " + text);
            }
            return new Jump(parts[0], parts[1], List.of(Arrays.copyOfRange(parts, 2, parts.length)));
        }
    }

    /**
     * Makes netplane's chains and jumps in {@code netns} equal the desired document and jumps;
     * returns {@link #ownRules} as they are afterwards, read again only if something was removed.
     */
    public String apply(Path netns, String document, List<String> jumpTexts) {
        applied.remove(netns);
        RulesetDelta.Chains chains = RulesetDelta.Chains.of(document);
        List<Jump> jumps = jumpTexts.stream().map(Jump::parse).toList();
        if (!document.isBlank()) {
            runner.must(netns, RESTORE, document.endsWith("\n") ? document : document + "\n");
        }
        for (Jump j : jumps) {
            runner.ensureRule(netns, j.table(), j.chain(), j.spec(), false);
        }
        Map<String, String> savedByTable = new LinkedHashMap<>();
        boolean removed = false;
        for (String table : TABLES) {
            String saved = save(netns, table);
            savedByTable.put(table, saved);
            removed |= removeUnwantedJumps(netns, table, saved, jumps);
            if (!document.isBlank()) {
                // A chain the document no longer declares (a port range no longer in use) keeps its
                // old rules after a --noflush restore: nothing jumps to it any more, so it can go.
                removed |= removeUndeclaredChains(netns, table, saved,
                        chains.tables().getOrDefault(table, Map.of()).keySet());
            }
        }
        String own = removed ? ownRules(netns) : ownRules(savedByTable);
        applied.put(netns, new Applied(chains, List.copyOf(jumpTexts), own));
        return own;
    }

    /**
     * Applies a new revision: when this firewall applied a document in {@code netns} before and the
     * jumps are the same, only the delta from it, in one {@code iptables-restore --noflush}, and
     * nothing is read back; otherwise, or if iptables-restore fails on the delta, the whole document
     * ({@link #apply}). A delta {@link RulesetPolicy} refuses is not applied at all: the
     * {@link io.netplane.agent.trust.RefusedRecord} is thrown before any command runs.
     */
    public void applyRevision(Path netns, String document, List<String> jumps) {
        Applied last = applied.get(netns);
        if (last == null || !last.jumps().equals(jumps)) {
            apply(netns, document, jumps);
            return;
        }
        RulesetDelta.Chains now = RulesetDelta.Chains.of(document);
        String delta = RulesetDelta.between(last.document(), now);
        if (delta.isEmpty()) {
            applied.put(netns, new Applied(now, last.jumps(), last.ownRules()));
            return;
        }
        RulesetPolicy.checkDocument(delta);
        try {
            runner.must(netns, RESTORE, delta);
        } catch (FirewallException e) {
            LOG.warnf("delta of the ruleset did not apply, applying the whole document: %s", e.getMessage());
            apply(netns, document, jumps);
            return;
        }
        applied.put(netns, new Applied(now, last.jumps(), null));
    }

    /** What this firewall knows of netplane's rules in a namespace, as a resync finds them. */
    public enum State {
        /** Exactly what the last whole document left. */
        CURRENT,
        /** Not known: nothing applied here yet (a restart), or deltas applied since the whole document. */
        UNKNOWN,
        /** Different from what it left: a rule deleted or added by hand. */
        DRIFTED
    }

    /**
     * Whether the whole document should be applied to be sure of the kernel's state: anything but
     * {@link State#CURRENT}. Reads the kernel only when it knows what it left.
     */
    public State state(Path netns) {
        Applied last = applied.get(netns);
        if (last == null || last.ownRules() == null) {
            return State.UNKNOWN;
        }
        return ownRules(netns).equals(last.ownRules()) ? State.CURRENT : State.DRIFTED;
    }

    /**
     * After a new ruleset: clears the conntrack entries of the udp ports whose binding changed
     * between {@code before} and {@code after} ({@link StaleConntrack}).
     */
    public void clearStaleFlows(Path netns, List<PortBinding> before, List<PortBinding> after) {
        conntrack.clear(netns, before, after);
    }

    /** Removes every jump to a netplane chain from built-in chains, then netplane's chains. */
    public void clear(Path netns) {
        applied.remove(netns);
        for (String table : TABLES) {
            // removing jumps from built-in chains leaves the chain list as it was: one read serves both
            String saved = save(netns, table);
            removeUnwantedJumps(netns, table, saved, List.of());
            removeUndeclaredChains(netns, table, saved, Set.of());
        }
    }

    /** Flushes all of them first, as one may still jump to another, then deletes them; true if any. */
    private boolean removeUndeclaredChains(Path netns, String table, String saved, Set<String> declared) {
        List<String> undeclared = saved.lines().filter(l -> l.startsWith(":" + CHAIN_PREFIX))
                .map(l -> l.substring(1, l.indexOf(' '))).filter(c -> !declared.contains(c)).toList();
        for (String chain : undeclared) {
            runner.run(netns, List.of("iptables", "-w", "-t", table, "-F", chain), null);
        }
        for (String chain : undeclared) {
            runner.run(netns, List.of("iptables", "-w", "-t", table, "-X", chain), null);
        }
        return !undeclared.isEmpty();
    }

    /**
     * netplane's own lines from {@code iptables-save} (its chains, their rules and the jumps to
     * them), without counters, in the order iptables reports them: what drift detection compares.
     */
    public String ownRules(Path netns) {
        Map<String, String> savedByTable = new LinkedHashMap<>();
        for (String table : TABLES) {
            savedByTable.put(table, save(netns, table));
        }
        return ownRules(savedByTable);
    }

    private static String ownRules(Map<String, String> savedByTable) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> saved : savedByTable.entrySet()) {
            String table = saved.getKey();
            for (String line : saved.getValue().lines().toList()) {
                if (line.startsWith(":" + CHAIN_PREFIX)) {
                    sb.append(table).append(' ').append(line, 0, line.indexOf(' ')).append('\n');
                } else if (line.startsWith("-A ") && line.contains(CHAIN_PREFIX)) {
                    sb.append(table).append(' ').append(line).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private String save(Path netns, String table) {
        return runner.must(netns, List.of("iptables-save", "-t", table), null);
    }

    /**
     * Removes jumps to netplane chains whose (table, built-in chain, target) no desired jump has,
     * and exact duplicates. Matching by target rather than by text, because iptables-save
     * prints rule specs in its own canonical form (adds "/32", "-m tcp", ...).
     */
    /** True if it deleted any. */
    private boolean removeUnwantedJumps(Path netns, String table, String saved, List<Jump> wanted) {
        Set<String> wantedTargets = new HashSet<>();
        for (Jump j : wanted) {
            wantedTargets.add(j.table() + " " + j.chain() + " " + target(j.spec()));
        }
        Set<String> seen = new HashSet<>();
        boolean deleted = false;
        for (String line : saved.lines().toList()) {
            if (!line.startsWith("-A ") || line.startsWith("-A " + CHAIN_PREFIX)) {
                continue;
            }
            List<String> words = Arrays.asList(line.substring(3).trim().split("\\s+"));
            String target = target(words.subList(1, words.size()));
            if (target == null || !target.startsWith(CHAIN_PREFIX)) {
                continue;
            }
            boolean wantedTarget = wantedTargets.contains(table + " " + words.get(0) + " " + target);
            if (!wantedTarget || !seen.add(line)) {
                List<String> delete = new ArrayList<>(List.of("iptables", "-w", "-t", table, "-D"));
                delete.addAll(words);
                runner.run(netns, delete, null);
                deleted = true;
            }
        }
        return deleted;
    }

    private static String target(List<String> spec) {
        for (int i = 0; i + 1 < spec.size(); i++) {
            if (spec.get(i).equals("-j") || spec.get(i).equals("-g")) {
                return spec.get(i + 1);
            }
        }
        return null;
    }
}
