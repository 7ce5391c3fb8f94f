package io.netplane.localcluster.up;

import io.netplane.events.validate.Ipv4Address;
import io.netplane.events.validate.InvalidValueException;
import io.netplane.events.validate.Port;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The options of {@code netplane up}, checked before anything starts. */
record UpOptions(List<String> dnsUpstreams) {

    /** dns-service's list of upstream resolvers, as ip[:port] separated by commas. */
    static final String UPSTREAMS = "netplane.dns.upstreams";

    static UpOptions parse(List<String> args) {
        List<String> upstreams = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--dns-upstream") && i + 1 < args.size()) {
                upstreams.add(upstream(args.get(++i)));
            } else if (arg.startsWith("--dns-upstream=")) {
                upstreams.add(upstream(arg.substring("--dns-upstream=".length())));
            } else {
                throw new IllegalArgumentException("unknown option " + arg
                        + " (usage: netplane up [--dns-upstream IP[:PORT]]...)");
            }
        }
        return new UpOptions(List.copyOf(upstreams));
    }

    Map<String, String> serviceConfig() {
        return dnsUpstreams.isEmpty() ? Map.of() : Map.of(UPSTREAMS, String.join(",", dnsUpstreams));
    }

    private static String upstream(String value) {
        int colon = value.indexOf(':');
        String ip = colon < 0 ? value : value.substring(0, colon);
        try {
            Ipv4Address.checkHostIp(ip);
            if (colon >= 0) {
                String port = value.substring(colon + 1);
                if (!port.matches("[0-9]{1,5}")) {
                    throw new InvalidValueException("invalid port in --dns-upstream " + value);
                }
                Port.check(Long.parseLong(port), "port");
            }
        } catch (InvalidValueException e) {
            throw new IllegalArgumentException("--dns-upstream " + value + ": " + e.getMessage()
                    + " (give an IPv4 address, optionally with :port)");
        }
        return value;
    }
}
