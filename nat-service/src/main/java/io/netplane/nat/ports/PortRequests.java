package io.netplane.nat.ports;

import io.netplane.events.model.PortSpec;
import io.netplane.events.validate.Ipv4Address;
import io.netplane.events.validate.Shown;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Expands an endpoint's {@code -p} specs and, with {@code -P}, its exposed ports into one
 * {@link PortRequest} per container port, as Docker does: equal-length host and container ranges
 * map one to one; a single container port with a host range takes any free port of the range; a
 * missing host port takes one from the dynamic range.
 */
public final class PortRequests {

    public static final String ANY_IPV4 = "0.0.0.0";
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");

    private final PortRange dynamic;

    public PortRequests(PortRange dynamic) {
        this.dynamic = dynamic;
    }

    /** The requests, or {@link InvalidPortSpecException} saying which spec is wrong. */
    public List<PortRequest> expand(List<PortSpec> specs, List<String> exposedPorts, boolean publishAll) {
        List<PortRequest> requests = new ArrayList<>();
        Set<String> bound = new HashSet<>();
        for (PortSpec spec : specs) {
            String proto = protocol(spec.protocol());
            String hostIp = hostIp(spec.hostIp());
            int cFrom = port(spec.containerPort(), "container port");
            int cTo = spec.containerPortEnd() == null ? cFrom : port(spec.containerPortEnd(), "container port");
            if (cTo < cFrom) {
                throw new InvalidPortSpecException("invalid container port range: " + cFrom + "-" + cTo);
            }
            for (int c = cFrom; c <= cTo; c++) {
                bound.add(c + "/" + proto);
            }
            if (spec.hostPort() == null || spec.hostPort() == 0) {
                for (int c = cFrom; c <= cTo; c++) {
                    requests.add(new PortRequest(hostIp, dynamic.from(), dynamic.to(), proto, c));
                }
                continue;
            }
            int hFrom = port(spec.hostPort(), "host port");
            int hTo = spec.hostPortEnd() == null ? hFrom : port(spec.hostPortEnd(), "host port");
            if (hTo < hFrom) {
                throw new InvalidPortSpecException("invalid host port range: " + hFrom + "-" + hTo);
            }
            if (hTo - hFrom == cTo - cFrom) {
                for (int i = 0; i <= cTo - cFrom; i++) {
                    requests.add(new PortRequest(hostIp, hFrom + i, hFrom + i, proto, cFrom + i));
                }
            } else if (cFrom == cTo) {
                requests.add(new PortRequest(hostIp, hFrom, hTo, proto, cFrom));
            } else {
                throw new InvalidPortSpecException("invalid ranges specified for container and host Ports: host "
                        + hFrom + "-" + hTo + ", container " + cFrom + "-" + cTo);
            }
        }
        if (publishAll) {
            for (String exposed : exposedPorts) {
                String[] parts = exposed.split("/", 2);
                String proto = protocol(parts.length > 1 ? parts[1] : null);
                int c = port(parseInt(parts[0]), "exposed port");
                if (bound.add(c + "/" + proto)) {
                    requests.add(new PortRequest(ANY_IPV4, dynamic.from(), dynamic.to(), proto, c));
                }
            }
        }
        return requests;
    }

    private static String protocol(String protocol) {
        String p = protocol == null || protocol.isBlank() ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        if (!PROTOCOLS.contains(p)) {
            throw new InvalidPortSpecException("invalid proto: " + protocol);
        }
        return p;
    }

    private static String hostIp(String hostIp) {
        if (hostIp == null || hostIp.isBlank()) {
            return ANY_IPV4;
        }
        // ipam-service refuses any other host IP at its API; this guards what else may write the topic
        if (Ipv4Address.parse(hostIp) == null) {
            throw new InvalidPortSpecException("host address " + Shown.of(hostIp)
                    + " is not supported: netplane publishes ports on IPv4 host addresses only");
        }
        return hostIp;
    }

    private static int port(int port, String what) {
        if (port < 1 || port > 65535) {
            throw new InvalidPortSpecException("invalid " + what + ": " + port);
        }
        return port;
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidPortSpecException("invalid exposed port: " + text);
        }
    }
}
