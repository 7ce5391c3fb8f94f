package io.netplane.agent.firewall;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Ruleset documents in nat-service's layout (as its golden documents under
 * nat-service/src/test/resources/golden): per bridge its forwarding and masquerading rules, per
 * range of 100 host ports a DNAT chain jumped to from NETPLANE.
 */
final class Documents {

    static final List<String> JUMPS = List.of("nat PREROUTING -m addrtype --dst-type LOCAL -j NETPLANE",
            "nat OUTPUT -m addrtype --dst-type LOCAL -j NETPLANE", "nat POSTROUTING -j NETPLANE-POSTROUTING",
            "filter FORWARD -j NETPLANE-FORWARD");

    private Documents() {
    }

    /** Bridges br-web (172.30.1.0/24) and then {@code others} (172.30.2.0/24, ...); tcp ports to br-web. */
    static String of(List<String> others, int... ports) {
        List<String> bridges = new ArrayList<>(List.of("br-web"));
        bridges.addAll(others);
        SortedSet<Integer> ranges = new TreeSet<>();
        for (int port : ports) {
            ranges.add(port / 100 * 100);
        }
        StringBuilder nat = new StringBuilder("*nat\n:NETPLANE - [0:0]\n:NETPLANE-POSTROUTING - [0:0]\n");
        ranges.forEach(r -> nat.append(":NETPLANE-TCP-").append(r).append(" - [0:0]\n"));
        ranges.forEach(r -> nat.append("-A NETPLANE -p tcp -m tcp --dport ").append(r).append(':').append(r + 99)
                .append(" -j NETPLANE-TCP-").append(r).append('\n'));
        StringBuilder forward = new StringBuilder();
        StringBuilder inbound = new StringBuilder();
        for (int b = 0; b < bridges.size(); b++) {
            String br = bridges.get(b);
            nat.append("-A NETPLANE-POSTROUTING -s 172.30.").append(b + 1).append(".0/24 ! -o ").append(br)
                    .append(" -j MASQUERADE\n");
            forward.append("-A NETPLANE-FORWARD -o ").append(br)
                    .append(" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
            inbound.append("-A NETPLANE-INBOUND ! -i ").append(br).append(" -o ").append(br)
                    .append(" -m conntrack --ctstate DNAT -j ACCEPT\n");
        }
        SortedSet<Integer> sorted = new TreeSet<>(Arrays.stream(ports).boxed().toList());
        for (int r : ranges) {
            for (int port : sorted) {
                if (port / 100 * 100 == r) {
                    nat.append("-A NETPLANE-TCP-").append(r).append(" -p tcp -m tcp --dport ").append(port)
                            .append(" -j DNAT --to-destination 172.30.1.").append(2 + port % 200).append(":80\n");
                }
            }
        }
        return nat.append("COMMIT\n*filter\n:NETPLANE-FORWARD - [0:0]\n:NETPLANE-INBOUND - [0:0]\n").append(forward)
                .append(inbound).append("COMMIT\n").toString();
    }

    static String of(int... ports) {
        return of(List.of(), ports);
    }
}
