package io.netplane.nat.rules;

import java.util.List;

/**
 * A compiled host firewall: the iptables-restore document of netplane's own chains, the chains
 * it declares ("table chain") and the jumps from built-in chains ("table chain rule-spec").
 */
public record Ruleset(String document, List<String> chains, List<String> jumps) {
    public Ruleset {
        chains = List.copyOf(chains);
        jumps = List.copyOf(jumps);
    }
}
