package io.netplane.events;

import java.time.Instant;
import java.util.List;

/**
 * The whole desired firewall of one host (topic {@code nat-rules}, key host id): an
 * iptables-restore document that declares only netplane's own chains ({@code chains}) and,
 * separately, the jumps from built-in chains ({@code jumps}, as "table chain rule-spec"), which
 * the agent checks before adding so they are never duplicated.
 */
public record NatRuleset(String hostId, long revision, Instant time, int schemaVersion, String document,
        List<String> chains, List<String> jumps) implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public NatRuleset {
        Require.text(hostId, "hostId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
        Require.present(document, "document");
        chains = chains == null ? List.of() : List.copyOf(chains);
        jumps = jumps == null ? List.of() : List.copyOf(jumps);
    }

    @Override
    public String aggregateId() {
        return hostId;
    }
}
