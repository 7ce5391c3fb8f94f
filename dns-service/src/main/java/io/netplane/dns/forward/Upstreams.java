package io.netplane.dns.forward;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where outside names go: configured addresses, or else the host's resolv.conf (Docker's default). */
public final class Upstreams {

    /** Docker's {@code maxExtDNS}. */
    public static final int MAX = 3;
    private static final Path SYSTEMD_RESOLVED = Path.of("/run/systemd/resolve/resolv.conf");
    private static final String RESOLVED_STUB = "127.0.0.53";

    private Upstreams() {
    }

    /** Parses "1.2.3.4", "1.2.3.4:5353", "[::1]:53"; only IP literals, so no lookup at start. */
    public static InetSocketAddress parse(String spec) {
        String s = spec.trim();
        String host = s;
        int port = 53;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            host = s.substring(1, close);
            if (close + 1 < s.length() && s.charAt(close + 1) == ':') {
                port = Integer.parseInt(s.substring(close + 2));
            }
        } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = Integer.parseInt(s.substring(s.indexOf(':') + 1));
        }
        if (!host.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("upstream " + spec + " is not an IP address[:port]");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new IllegalArgumentException("upstream " + spec + ": " + e.getMessage(), e);
        }
    }

    /**
     * The nameservers of a resolv.conf; when it names only systemd-resolved's stub, the file
     * systemd-resolved keeps with the real servers is read instead (as Docker does).
     */
    public static List<InetSocketAddress> fromResolvConf(Path file) {
        List<String> servers = nameservers(file);
        if (servers.equals(List.of(RESOLVED_STUB)) && Files.isReadable(SYSTEMD_RESOLVED)) {
            servers = nameservers(SYSTEMD_RESOLVED);
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String s : servers) {
            if (out.size() < MAX) {
                out.add(parse(s.contains(":") ? "[" + s + "]" : s));
            }
        }
        return out;
    }

    private static List<String> nameservers(Path file) {
        List<String> servers = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] words = line.trim().split("\\s+");
                if (words.length >= 2 && words[0].equals("nameserver")) {
                    servers.add(words[1].replaceFirst("%.*$", ""));
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return servers;
    }
}
