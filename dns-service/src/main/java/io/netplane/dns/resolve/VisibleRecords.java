package io.netplane.dns.resolve;

import io.netplane.dns.view.EndpointEntry;
import io.netplane.dns.view.View;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every name a container can resolve locally and what it resolves to: the data behind
 * {@code /v1/dns/records}. Built with the same {@link NameResolver} the query path uses, so the
 * listing and real answers cannot disagree.
 */
public final class VisibleRecords {

    /** One name: its IPv4 and IPv6 addresses as the container would get them (order aside). */
    public record NameRecord(String name, List<String> ipv4, List<String> ipv6) {
    }

    private VisibleRecords() {
    }

    public static List<NameRecord> of(View view, String containerId) {
        Asker asker = new Asker(containerId, view.endpointsOf(containerId));
        Map<String, NameRecord> out = new TreeMap<>();
        for (String name : candidateNames(view, asker)) {
            List<EndpointEntry> found = NameResolver.resolve(view, asker, name);
            if (!found.isEmpty()) {
                out.put(name, new NameRecord(name, text(NameResolver.addresses(found, false)),
                        text(NameResolver.addresses(found, true))));
            }
        }
        return List.copyOf(out.values());
    }

    private static List<String> candidateNames(View view, Asker asker) {
        List<String> names = new ArrayList<>();
        for (EndpointEntry own : asker.endpoints()) {
            for (EndpointEntry.LinkEntry link : own.links()) {
                names.add(link.name());
                names.add(link.alias());
            }
            for (EndpointEntry other : view.endpoints()) {
                if (own.sees(other)) {
                    for (String name : other.dnsNames()) {
                        names.add(name);
                        names.add(name + "." + own.networkName());
                    }
                }
            }
        }
        names.removeIf(n -> n == null || n.isEmpty());
        return names;
    }

    private static List<String> text(List<InetAddress> addresses) {
        return addresses.stream().map(InetAddress::getHostAddress).sorted().toList();
    }
}
