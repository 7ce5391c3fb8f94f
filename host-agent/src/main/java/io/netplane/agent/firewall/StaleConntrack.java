package io.netplane.agent.firewall;

import io.netplane.events.model.PortBinding;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Clears the conntrack entries of udp host ports whose binding a new ruleset removed, moved or
 * added, as CNI's portmap does: conntrack sends every later datagram of a flow where its first one
 * went, so without this a client that keeps its source port keeps reaching the old container (or
 * none, if its first datagram came before the DNAT). tcp is left alone: a connection ends with its
 * peer, and a new one is DNATed afresh.
 */
public final class StaleConntrack {

    private static final Logger LOG = Logger.getLogger(StaleConntrack.class);
    /** conntrack -D exits 1 when no entry matched. */
    private static final int NONE_MATCHED = 1;

    private final IptablesRunner runner;

    public StaleConntrack(IptablesRunner runner) {
        this.runner = runner;
    }

    /** The udp host ports whose binding differs between {@code before} and {@code after}. */
    static SortedSet<Integer> changedUdpPorts(List<PortBinding> before, List<PortBinding> after) {
        Set<PortBinding> changed = new HashSet<>(before);
        changed.addAll(after);
        Set<PortBinding> kept = new HashSet<>(before);
        kept.retainAll(after);
        changed.removeAll(kept);
        SortedSet<Integer> ports = new TreeSet<>();
        changed.stream().filter(b -> "udp".equals(b.protocol())).forEach(b -> ports.add(b.hostPort()));
        return ports;
    }

    /** Deletes the entries of every changed udp port in the namespace at {@code netns} (null: own); failures are logged. */
    public void clear(Path netns, List<PortBinding> before, List<PortBinding> after) {
        for (int port : changedUdpPorts(before, after)) {
            try {
                IptablesRunner.Result r = runner.run(netns,
                        List.of("conntrack", "-D", "-p", "udp", "--orig-port-dst", Integer.toString(port)), null);
                if (r.exit() != 0 && r.exit() != NONE_MATCHED) {
                    LOG.warnf("conntrack entries of udp port %d not cleared: %s", port, r.err().strip());
                }
            } catch (FirewallException e) {
                LOG.warnf("conntrack entries of udp port %d not cleared: %s", port, e.getMessage());
            }
        }
    }
}
