package io.netplane.events;

import io.netplane.events.model.PortBinding;
import java.time.Instant;
import java.util.List;

/**
 * The whole desired firewall of one host (topic {@code nat-rules}, key host id): an
 * iptables-restore document that declares only netplane's own chains ({@code chains}) and,
 * separately, the jumps from built-in chains ({@code jumps}, as "table chain rule-spec"), which
 * the agent checks before adding so they are never duplicated. {@code bindings}: the host ports the
 * document publishes, for what the agent does beside the rules (IPv6 proxies, conntrack); none in
 * records older than that field.
 */
public record NatRuleset(String hostId, long revision, Instant time, int schemaVersion, String document,
        List<String> chains, List<String> jumps, List<PortBinding> bindings) implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public NatRuleset {
        Require.text(hostId, "hostId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
        Require.present(document, "document");
        chains = chains == null ? List.of() : List.copyOf(chains);
        jumps = jumps == null ? List.of() : List.copyOf(jumps);
        bindings = bindings == null ? List.of() : List.copyOf(bindings);
    }

    /** A ruleset that says nothing of its bindings. */
    public NatRuleset(String hostId, long revision, Instant time, int schemaVersion, String document,
            List<String> chains, List<String> jumps) {
        this(hostId, revision, time, schemaVersion, document, chains, jumps, List.of());
    }

    @Override
    public String aggregateId() {
        return hostId;
    }
}
