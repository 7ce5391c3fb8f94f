package io.netplane.agent.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Docker's resolv.conf for containers without the embedded DNS server (the default bridge and
 * {@code none}): the host's file with loopback nameservers removed (they mean nothing inside the
 * sandbox) and Google's two when none remain. A host whose only nameserver is systemd-resolved's
 * 127.0.0.53 is read from /run/systemd/resolve/resolv.conf instead, as Docker does.
 */
public final class HostResolvConf {

    static final Path HOST = Path.of("/etc/resolv.conf");
    static final Path SYSTEMD_RESOLVED = Path.of("/run/systemd/resolve/resolv.conf");
    static final String DEFAULT_NAMESERVERS = "nameserver 8.8.8.8\nnameserver 8.8.4.4\n";

    private HostResolvConf() {
    }

    /** What a default-bridge or none sandbox gets, read from the host now. */
    public static String read() {
        String host = readOrEmpty(HOST);
        List<String> servers = nameservers(host);
        if (servers.equals(List.of("127.0.0.53")) && Files.exists(SYSTEMD_RESOLVED)) {
            host = readOrEmpty(SYSTEMD_RESOLVED);
        }
        return withoutLoopback(host);
    }

    /** The file without loopback nameserver lines, plus the defaults if no nameserver is left. */
    static String withoutLoopback(String resolvConf) {
        StringBuilder out = new StringBuilder();
        boolean anyServer = false;
        for (String line : resolvConf.split("\n")) {
            String server = nameserver(line);
            if (server != null && loopback(server)) {
                continue;
            }
            anyServer |= server != null;
            if (!line.isEmpty()) {
                out.append(line).append('\n');
            }
        }
        return anyServer ? out.toString() : out + DEFAULT_NAMESERVERS;
    }

    private static List<String> nameservers(String resolvConf) {
        return resolvConf.lines().map(HostResolvConf::nameserver).filter(s -> s != null).toList();
    }

    private static String nameserver(String line) {
        String[] fields = line.trim().split("\\s+");
        return fields.length >= 2 && fields[0].equals("nameserver") ? fields[1] : null;
    }

    private static boolean loopback(String address) {
        return address.startsWith("127.") || address.equals("::1");
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
