package io.netplane.nat.apply;

import io.netplane.events.NatRuleset;
import io.netplane.events.model.PortBinding;
import io.netplane.messaging.quarkus.Outbox;
import io.netplane.nat.rules.HostFirewall;
import io.netplane.nat.rules.Ruleset;
import io.netplane.nat.rules.RulesetCompiler;
import io.netplane.nat.store.HostRow;
import io.netplane.nat.store.NatStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Recomputes the ruleset of one host from that host's rows only and, when the document changed,
 * stores it with the next revision and publishes it through the outbox in the same transaction.
 */
@ApplicationScoped
public class HostRulesets {

    private final NatStore store = new NatStore();
    private final RulesetCompiler compiler = new RulesetCompiler();

    @Inject
    Outbox outbox;

    /** Must run inside the caller's transaction, after its changes to the host's rows. */
    public void refresh(Connection c, String hostId) throws SQLException {
        refresh(c, store.lockHost(c, hostId));
    }

    /** As above, for a host row the caller already locked in this transaction. */
    public void refresh(Connection c, HostRow held) throws SQLException {
        String hostId = held.hostId();
        HostFirewall firewall = new HostFirewall(hostId, store.bridgesOfHost(c, hostId), store.portsOfHost(c, hostId));
        Ruleset ruleset = compiler.compile(firewall);
        if (ruleset.document().equals(held.document())) {
            return;
        }
        long revision = held.revision() + 1;
        store.saveRuleset(c, hostId, revision, ruleset.document());
        outbox.publish(new NatRuleset(hostId, revision, Instant.now(), NatRuleset.SCHEMA_VERSION,
                ruleset.document(), ruleset.chains(), ruleset.jumps(), bindings(ruleset)));
    }

    /** The ports the ruleset DNATs, as the agent needs them beside the rules (IPv6 proxies, conntrack). */
    public static List<PortBinding> bindings(Ruleset ruleset) {
        return ruleset.published().stream()
                .map(p -> new PortBinding(p.protocol(), p.anyHostIp() ? PortBinding.ANY_IPV4 : p.hostIp(), p.hostPort(),
                        p.containerIp(), p.containerPort()))
                .toList();
    }

}
