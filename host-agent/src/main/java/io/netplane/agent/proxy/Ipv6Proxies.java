package io.netplane.agent.proxy;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.events.model.PortBinding;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The host's answer on {@code [::]:hostPort} for every port published on all of its IPv4
 * addresses, as Docker 20.10's docker-proxy gives: the IPv4 side is the ruleset's DNAT, and IPv6
 * cannot be DNATed to a container's IPv4 address, so a proxy in the host's namespace relays each
 * connection (tcp) or datagram exchange (udp). Skipped on a host without IPv6.
 */
public final class Ipv6Proxies implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Ipv6Proxies.class);

    private final NamespaceManager namespaces;
    private final Path hostNetns;
    private final Map<PortBinding, PortProxy> open = new HashMap<>();
    private final Set<PortBinding> failed = new HashSet<>();

    public Ipv6Proxies(NamespaceManager namespaces, Path hostNetns) {
        this.namespaces = namespaces;
        this.hostNetns = hostNetns;
    }

    /** Opens the proxies {@code wanted} names and closes the others; one that cannot listen is logged and retried next time. */
    public synchronized void sync(List<PortBinding> wanted) {
        Set<PortBinding> keep = new HashSet<>(wanted);
        failed.retainAll(keep);
        open.entrySet().removeIf(e -> {
            if (keep.contains(e.getKey())) {
                return false;
            }
            e.getValue().close();
            return true;
        });
        for (PortBinding p : wanted) {
            if (open.containsKey(p)) {
                continue;
            }
            try {
                open.put(p, "tcp".equals(p.protocol()) ? new TcpProxy(namespaces, hostNetns, p)
                        : new UdpProxy(namespaces, hostNetns, p));
            } catch (RuntimeException e) {
                if (failed.add(p)) { // e.g. no IPv6 on this host, or the port taken: said once, tried each pass
                    LOG.warnf("[::]:%d/%s not answered: %s", p.hostPort(), p.protocol(), e.getMessage());
                }
            }
        }
    }

    /** The ports answered on IPv6 now. */
    public synchronized Set<PortBinding> answered() {
        return Set.copyOf(open.keySet());
    }

    @Override
    public synchronized void close() {
        open.values().forEach(PortProxy::close);
        open.clear();
    }
}
