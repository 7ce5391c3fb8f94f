package io.netplane.agent.host;

import io.netplane.agent.netns.NamespaceManager;
import io.netplane.events.model.BoundPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ports the host's own processes hold, read from the kernel's socket tables of the host's
 * namespace ({@code /proc/thread-self/net/{tcp,tcp6,udp,udp6}}, read from a thread inside it):
 * listening tcp sockets and unconnected udp ones, on an IPv4 address, on [::] (which takes the
 * IPv4 port too, unless IPV6_V6ONLY) or on an IPv4-mapped address. Other IPv6 addresses never
 * conflict with an IPv4 port and are left out.
 */
public final class BoundPorts {

    private static final String TCP_LISTEN = "0A";
    private static final String UDP_UNCONNECTED = "07";
    private static final String ANY = "0.0.0.0";

    private BoundPorts() {
    }

    /** The ports bound in the namespace at {@code netns} (null: the agent's own), minus {@code own} ("tcp/8080"). */
    public static List<BoundPort> read(NamespaceManager namespaces, Path netns, Set<String> own) {
        List<String[]> tables = namespaces.inNamespace(netns, () -> List.of(
                table("tcp"), table("tcp6"), table("udp"), table("udp6")));
        Set<BoundPort> found = new TreeSet<>(Comparator.comparing(BoundPort::protocol)
                .thenComparingInt(BoundPort::port).thenComparing(BoundPort::address));
        String[] protocols = {"tcp", "tcp", "udp", "udp"};
        for (int i = 0; i < tables.size(); i++) {
            String state = "tcp".equals(protocols[i]) ? TCP_LISTEN : UDP_UNCONNECTED;
            for (String line : tables.get(i)) {
                BoundPort p = parse(protocols[i], state, line);
                if (p != null && !own.contains(p.protocol() + "/" + p.port())) {
                    found.add(p);
                }
            }
        }
        return new ArrayList<>(found);
    }

    /** One line of a socket table, or null when it is the header, another state or an IPv6-only address. */
    static BoundPort parse(String protocol, String state, String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[0].endsWith(":") || !state.equals(f[3])) {
            return null;
        }
        int colon = f[1].indexOf(':');
        String hex = f[1].substring(0, colon);
        int port = Integer.parseInt(f[1].substring(colon + 1), 16);
        String address = hex.length() == 8 ? ipv4(hex) : ipv6AsIpv4(hex);
        return address == null || port == 0 ? null : new BoundPort(protocol, address, port);
    }

    /** The kernel writes an IPv4 address as one 32-bit word in host (little-endian) order. */
    private static String ipv4(String word) {
        long v = Long.parseLong(word, 16);
        return (v & 0xFF) + "." + (v >> 8 & 0xFF) + "." + (v >> 16 & 0xFF) + "." + (v >> 24 & 0xFF);
    }

    /** [::] as every IPv4 address, ::ffff:a.b.c.d as that address, null for any other IPv6 address. */
    private static String ipv6AsIpv4(String hex) {
        if (hex.length() != 32 || !hex.startsWith("0000000000000000")) {
            return null;
        }
        String third = hex.substring(16, 24);
        String fourth = hex.substring(24);
        if ("00000000".equals(third) && "00000000".equals(fourth)) {
            return ANY;
        }
        return "FFFF0000".equalsIgnoreCase(third) ? ipv4(fourth) : null;
    }

    private static String[] table(String name) {
        try {
            return Files.readAllLines(Path.of("/proc/thread-self/net/" + name)).toArray(String[]::new);
        } catch (IOException e) {
            if (Files.notExists(Path.of("/proc/thread-self/net/" + name))) {
                return new String[0]; // e.g. no IPv6 in this kernel
            }
            throw new UncheckedIOException(e);
        }
    }
}
