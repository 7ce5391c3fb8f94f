package io.netplane.agent.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The host's resolv.conf as Docker 20.10 copies it into a container that has no embedded DNS (on
 * the default bridge, and with network none): loopback and IPv6 nameservers dropped (the container
 * cannot reach the host's loopback, and netplane's networks are IPv4), Google's two added when none
 * is left; search and options kept. Behind systemd-resolved's 127.0.0.53 the real upstreams are
 * in its own file, as Docker reads them.
 */
public final class HostResolvConf {

    /** The host's file when the agent is not told another (netplane.agent.host-resolv-conf). */
    public static final Path SYSTEM = Path.of("/etc/resolv.conf");
    private static final Path SYSTEMD_RESOLVED = Path.of("/run/systemd/resolve/resolv.conf");
    private static final String DEFAULT_NAMESERVERS = "nameserver 8.8.8.8\nnameserver 8.8.4.4\n";
    private static final Pattern NAMESERVER = Pattern.compile("^\\s*nameserver\\s+(\\S+)\\s*$");
    private static final Pattern DROPPED = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|.*:.*");

    private final Path source;
    private List<Object> lastStamp;
    private String lastContent;

    public HostResolvConf(Path source) {
        this.source = source;
    }

    /**
     * What a container without embedded DNS gets as /etc/resolv.conf, as the host's files are now:
     * read again only when one of them changed (every sandbox asks on every pass).
     */
    public synchronized String forContainers() {
        List<Object> stamp = List.of(modified(source), modified(SYSTEMD_RESOLVED));
        if (!stamp.equals(lastStamp)) {
            lastContent = read();
            lastStamp = stamp;
        }
        return lastContent;
    }

    private String read() {
        String text = read(source);
        if (SYSTEM.equals(source) && nameservers(text).equals(List.of("127.0.0.53")) && Files.exists(SYSTEMD_RESOLVED)) {
            text = read(SYSTEMD_RESOLVED);
        }
        return filter(text);
    }

    static String filter(String text) {
        StringBuilder out = new StringBuilder();
        boolean nameserverLeft = false;
        for (String line : text.lines().toList()) {
            var m = NAMESERVER.matcher(line);
            if (m.matches() && DROPPED.matcher(m.group(1)).matches()) {
                continue;
            }
            nameserverLeft |= m.matches();
            out.append(line).append('\n');
        }
        if (!nameserverLeft) {
            out.append(DEFAULT_NAMESERVERS);
        }
        return out.toString();
    }

    private static List<String> nameservers(String text) {
        return text.lines().map(NAMESERVER::matcher).filter(java.util.regex.Matcher::matches).map(m -> m.group(1)).toList();
    }

    /** When the file last changed, or "none" while it is missing. */
    private static Object modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return "none";
        }
    }

    /** The file's text; none when it is missing or unreadable, as Docker treats a host without one. */
    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
